import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError } from "@web/core/network/rpc";
import { patch } from "@web/core/utils/patch";

patch(OrderPaymentValidation.prototype, {
    async isOrderValid(isForceValidate) {
        if (!(await super.isOrderValid(...arguments))) {
            return false;
        }
        return await this.loyaltyCheckFreshBalances();
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
                            balance: this.pos.env.utils.formatCurrency(
                                order.loyaltyBalanceMoney(kind)
                            ),
                            paid: this.pos.env.utils.formatCurrency(order.loyaltyPaidMoney(kind)),
                        }
                    ),
                });
                return false;
            }
        }
        return true;
    },
});
