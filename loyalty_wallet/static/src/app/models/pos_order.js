import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /**
     * Money the customer may spend now from ``kind`` (wallet | points): the
     * balance less what is pending (the return window).
     */
    loyaltyBalanceMoney(kind) {
        const partner = this.getPartner();
        if (!partner?.loyalty_member) {
            return 0;
        }
        if (kind === "points") {
            const points = (partner.loyalty_points || 0) - (partner.loyalty_points_pending || 0);
            return this.currency.round(points * this.company.loyalty_point_value);
        }
        return this.currency.round(
            (partner.loyalty_wallet_balance || 0) - (partner.loyalty_wallet_pending || 0)
        );
    },

    /** Money paid (negative: given back) with the loyalty methods of ``kind``. */
    loyaltyPaidMoney(kind) {
        return this.payment_ids
            .filter((payment) => payment.payment_method_id.loyalty_payment === kind)
            .reduce((total, payment) => total + payment.getAmount(), 0);
    },

    /** What is left to pay with ``kind`` after the payment lines already added. */
    loyaltyMoneyAvailable(kind) {
        return this.currency.round(this.loyaltyBalanceMoney(kind) - this.loyaltyPaidMoney(kind));
    },

    get loyaltyRefundedOrder() {
        return this.lines.find((line) => line.refunded_orderline_id)?.refunded_orderline_id
            .order_id;
    },

    /**
     * What this refund may still give back to ``kind`` (negative when its
     * lines give back too much): the refunded share of what the original
     * order paid with it. The server checks it again.
     */
    loyaltyRefundRoom(kind) {
        const original = this.loyaltyRefundedOrder;
        if (!original || !original.amount_total) {
            return 0;
        }
        const originalPaid = original.payment_ids
            .filter((payment) => payment.payment_method_id?.loyalty_payment === kind)
            .reduce((total, payment) => total + payment.amount, 0);
        const ratio = Math.min(1, Math.abs(this.priceIncl / original.amount_total));
        return this.currency.round(originalPaid * ratio + this.loyaltyPaidMoney(kind));
    },

    loyaltyRefundableMoney(kind) {
        return Math.max(0, this.loyaltyRefundRoom(kind));
    },

    /** Why ``method`` cannot be added to this order, or "" when it can. */
    loyaltyPaymentRefusal(method) {
        const kind = method.loyalty_payment;
        const partner = this.getPartner();
        if (!partner) {
            return _t(
                "Select the customer first: %s is paid from the customer's club balance.",
                method.name
            );
        }
        if (!partner.loyalty_member) {
            return _t("%s is not a member of the customer club.", partner.name);
        }
        if (!this.isRefund && this.lines.some((line) => line.product_id.product_tmpl_id.loyalty_topup)) {
            return _t("A wallet top-up is paid in cash or by card, not with wallet credit or points.");
        }
        if (this.isRefund) {
            return this.loyaltyRefundableMoney(kind) > 0
                ? ""
                : _t("The refunded order has nothing paid with %s to give back.", method.name);
        }
        if (this.loyaltyMoneyAvailable(kind) <= 0) {
            return _t("%(partner)s has nothing left to pay with %(method)s.", {
                partner: partner.name,
                method: method.name,
            });
        }
        return "";
    },

    addPaymentline(method) {
        if (method.loyalty_payment) {
            const refusal = this.loyaltyPaymentRefusal(method);
            if (refusal) {
                return { status: false, data: refusal };
            }
        }
        return super.addPaymentline(...arguments);
    },

    getDefaultAmountDueToPayIn(method) {
        const amount = super.getDefaultAmountDueToPayIn(...arguments);
        const kind = method.loyalty_payment;
        if (!kind) {
            return amount;
        }
        if (this.isRefund) {
            return -Math.min(Math.abs(amount), this.loyaltyRefundableMoney(kind));
        }
        return Math.max(0, Math.min(amount, this.loyaltyMoneyAvailable(kind)));
    },
});
