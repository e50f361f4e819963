import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(PaymentScreen.prototype, {
    onMounted() {
        super.onMounted(...arguments);
        this.loyaltyProposeRefundToBalance();
    },

    /**
     * A refund of an order paid with wallet or points gives that share back
     * there: one line per kind, of the amount the server's figures allow.
     */
    loyaltyProposeRefundToBalance() {
        const order = this.currentOrder;
        if (!order.isRefund || this.paymentLines.length) {
            return;
        }
        for (const kind of ["wallet", "points"]) {
            const method = this.payment_methods_from_config.find(
                (each) => each.loyalty_payment === kind
            );
            if (method && order.loyaltyRefundableMoney(kind) > 0) {
                this.addNewPaymentLine(method);
            }
        }
    },

    updateSelectedPaymentline(amount = false) {
        super.updateSelectedPaymentline(...arguments);
        const line = this.selectedPaymentLine;
        const kind = line?.payment_method_id.loyalty_payment;
        if (!kind) {
            return;
        }
        const order = this.currentOrder;
        const room = order.isRefund
            ? order.loyaltyRefundRoom(kind)
            : order.loyaltyMoneyAvailable(kind);
        if (room >= 0) {
            return;
        }
        // The line asks for more than the balance (or the refundable share):
        // bring it back to the most it can be.
        const most = order.isRefund ? line.getAmount() - room : line.getAmount() + room;
        line.setAmount(most);
        this.numberBuffer.set(most.toString());
        this.dialog.add(AlertDialog, {
            title: _t("Not enough balance"),
            body: order.isRefund
                ? _t("At most %s can be given back with this method.", this.pos.loyaltyFormatMoneyAtTill(Math.abs(most)))
                : _t("%(partner)s can pay at most %(amount)s with %(method)s.", {
                      partner: order.getPartner().name,
                      amount: this.pos.loyaltyFormatMoneyAtTill(most),
                      method: line.payment_method_id.name,
                  }),
        });
    },
});
