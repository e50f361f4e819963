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
     * Money of ``kind`` this refund gives back to the customer's balance, as
     * the server decides it from its figures loaded with the orders: the
     * share of each returned unit paid with ``kind`` (``loyalty_*_unit_share``
     * of the sold line) times the quantity returned, per refunded order at
     * most what it can still give back (``loyalty_refundable_*``).
     */
    loyaltyRefundProposal(kind) {
        const returned = new Map();
        for (const line of this.lines) {
            const sold = line.refunded_orderline_id;
            if (sold) {
                const share = -line.qty * (sold[`loyalty_${kind}_unit_share`] || 0);
                returned.set(sold.order_id, (returned.get(sold.order_id) || 0) + share);
            }
        }
        let proposal = 0;
        for (const [original, money] of returned) {
            const refundable = original[`loyalty_refundable_${kind}`] || 0;
            const cap =
                kind === "points" ? refundable * this.company.loyalty_point_value : refundable;
            proposal += this.currency.round(Math.max(Math.min(money, cap), 0));
        }
        return this.currency.round(proposal);
    },

    /** Money the refund's payment lines of ``kind`` give back (negative lines). */
    loyaltyGivenBackMoney(kind) {
        return this.currency.round(-this.loyaltyPaidMoney(kind));
    },

    /** What may still be given back to ``kind`` (negative: too much entered). */
    loyaltyRefundRoom(kind) {
        return this.currency.round(
            this.loyaltyRefundProposal(kind) - this.loyaltyGivenBackMoney(kind)
        );
    },

    loyaltyRefundableMoney(kind) {
        return Math.max(0, this.loyaltyRefundRoom(kind));
    },

    /** The company sends the wallet/points share of a refund back there only. */
    get loyaltyRefundToBalanceOnly() {
        return this.company.loyalty_refund_to_wallet_only !== false;
    },

    /**
     * The first kind whose refund lines the server would refuse, as
     * ``{kind, proposal, given}``, or null: more given back than the
     * proposal, or (in a refund without sold lines) a loyalty payment, or,
     * when the company refunds that share to the balance only, anything but
     * the proposal. An exchange's sold lines may spend: the server decides.
     */
    loyaltyRefundMismatch() {
        if (!this.loyaltyRefundedOrder) {
            return null;
        }
        const onlyReturns = this.lines.every((line) => line.refunded_orderline_id);
        for (const kind of ["wallet", "points"]) {
            const proposal = this.loyaltyRefundProposal(kind);
            const given = this.loyaltyGivenBackMoney(kind);
            if (this.currency.isZero(given - proposal)) {
                continue;
            }
            const refused =
                given > proposal ||
                (onlyReturns && (given < 0 || this.loyaltyRefundToBalanceOnly));
            if (refused) {
                return { kind, proposal, given };
            }
        }
        return null;
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
