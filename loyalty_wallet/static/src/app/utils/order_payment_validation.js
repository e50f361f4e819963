import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError } from "@web/core/network/rpc";
import { patch } from "@web/core/utils/patch";

patch(OrderPaymentValidation.prototype, {
    async isOrderValid(isForceValidate) {
        // The refund's club lines first: the cashier fixes them before anything else.
        if (!this.loyaltyCheckRefundLines() || !(await super.isOrderValid(...arguments))) {
            return false;
        }
        return await this.loyaltyCheckFreshBalances();
    },

    /**
     * A refund gives back to the wallet/points what the server's figures of
     * the refunded order allow, and no more (with the company's "refund to
     * the wallet only", exactly that): the server refuses anything else.
     */
    loyaltyCheckRefundLines() {
        const mismatch = this.order.loyaltyRefundMismatch();
        if (!mismatch) {
            return true;
        }
        const format = (amount) => this.pos.loyaltyFormatMoneyAtTill(amount);
        const values = {
            amount: format(mismatch.proposal),
            entered: format(Math.abs(mismatch.given)),
        };
        let body;
        if (mismatch.given < 0) {
            body = _t(
                "A refund can't take money from the club balance: give back at most %(amount)s.",
                values
            );
        } else if (mismatch.kind === "points" && this.order.loyaltyRefundToBalanceOnly) {
            body = _t(
                "Exactly %(amount)s of this refund goes back to the customer's points (%(entered)s entered).",
                values
            );
        } else if (mismatch.kind === "points") {
            body = _t(
                "At most %(amount)s of this refund can go back to the customer's points (%(entered)s entered).",
                values
            );
        } else if (this.order.loyaltyRefundToBalanceOnly) {
            body = _t(
                "Exactly %(amount)s of this refund goes back to the customer's wallet (%(entered)s entered).",
                values
            );
        } else {
            body = _t(
                "At most %(amount)s of this refund can go back to the customer's wallet (%(entered)s entered).",
                values
            );
        }
        this.pos.dialog.add(AlertDialog, {
            title: _t("Refund to the club balance"),
            body,
        });
        return false;
    },

    /**
     * Re-read the customer's balances right before validating, so a balance
     * spent meanwhile at another till is refused here rather than at the sync.
     * Offline, the till lets the order go: the server decides when it syncs.
     */
    async loyaltyCheckFreshBalances() {
        const order = this.order;
        const kinds = ["wallet", "points"].filter((kind) => order.loyaltyPaidMoney(kind) > 0);
        if (!kinds.length || order.isRefund) {
            return true;
        }
        const partner = order.getPartner();
        if (!partner) {
            this.pos.dialog.add(AlertDialog, {
                title: _t("Customer required"),
                body: _t("Select the customer who pays with the club balance."),
            });
            return false;
        }
        try {
            await this.pos.loyaltyRefreshBalances(partner);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                return true;
            }
            throw error;
        }
        for (const kind of kinds) {
            if (order.loyaltyMoneyAvailable(kind) < 0) {
                this.pos.dialog.add(AlertDialog, {
                    title: _t("Not enough balance"),
                    body: _t(
                        "%(partner)s now has %(balance)s to pay with; %(paid)s was entered. Change the payment.",
                        {
                            partner: partner.name,
                            balance: this.pos.loyaltyFormatMoneyAtTill(
                                order.loyaltyBalanceMoney(kind)
                            ),
                            paid: this.pos.loyaltyFormatMoneyAtTill(order.loyaltyPaidMoney(kind)),
                        }
                    ),
                });
                return false;
            }
        }
        return true;
    },
});
