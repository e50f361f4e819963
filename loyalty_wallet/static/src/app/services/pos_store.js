import { NumberPopup } from "@point_of_sale/app/components/popups/number_popup/number_popup";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { patch } from "@web/core/utils/patch";
import { formatLoyaltyAmount } from "@loyalty_wallet/app/utils/loyalty_amount";
import { formatPendingDate } from "@loyalty_wallet/app/utils/pending_credit";

patch(PosStore.prototype, {
    /**
     * A wallet top-up is sold for the amount the cashier types, to the
     * selected customer (the server credits the wallet when the order syncs).
     */
    async addLineToCurrentOrder(vals, opts = {}, configure = true) {
        const template =
            typeof vals.product_tmpl_id === "number"
                ? this.data.models["product.template"].get(vals.product_tmpl_id)
                : vals.product_tmpl_id;
        if (template?.loyalty_topup && !("price_unit" in vals)) {
            const amount = await this.loyaltyAskTopupAmount();
            if (!amount) {
                return;
            }
            vals = { ...vals, price_unit: amount };
        }
        return await super.addLineToCurrentOrder(vals, opts, configure);
    },

    async loyaltyAskTopupAmount() {
        if (!this.getOrder()?.getPartner()) {
            this.dialog.add(AlertDialog, {
                title: _t("Customer required"),
                body: _t("Select the customer whose wallet is topped up."),
            });
            return 0;
        }
        const typed = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("Top-up amount"),
        });
        const amount = this.currency.round(parseFloat(typed || "0") || 0);
        return amount > 0 ? amount : 0;
    },

    /** Money worth of one point when a customer pays with points. */
    get loyaltyPointValue() {
        return this.company.loyalty_point_value || 1;
    },

    /** A club amount in the company's display unit (toman for IRR shops that chose it). */
    loyaltyFormatMoney(amount) {
        return formatLoyaltyAmount(amount, this.company, (value) =>
            this.env.utils.formatCurrency(value)
        );
    },

    /**
     * A club amount for the cashier: in the company's display unit, followed
     * by the till's own figure when they differ ("85,000 Toman (850,000.00 ﷼)"
     * in a toman shop: the payment lines, which the cashier types, are rials).
     */
    loyaltyFormatMoneyAtTill(amount) {
        const shown = this.loyaltyFormatMoney(amount);
        const till = this.env.utils.formatCurrency(amount);
        return shown === till ? shown : `${shown} (${till})`;
    },

    loyaltyFormatPoints(points) {
        return formatFloat(points || 0, { digits: [69, 2], trailingZeros: false });
    },

    loyaltyFormatDate(value) {
        return formatPendingDate(value);
    },

    /**
     * Read the customer's balances from the server (not the loaded data) and
     * keep them on the partner record, so the till shows what the server knows.
     * The server answers what may be spent now and what is pending (the
     * return window); the record keeps the balance (both) and the pending part.
     */
    async loyaltyRefreshBalances(partner) {
        const fresh = await this.data.call("res.partner", "loyalty_pos_balances", [
            [partner.id],
            this.config.id,
        ]);
        partner.loyalty_member = fresh.member;
        partner.loyalty_wallet_balance = fresh.wallet + (fresh.wallet_pending || 0);
        partner.loyalty_points = fresh.points + (fresh.points_pending || 0);
        partner.loyalty_wallet_pending = fresh.wallet_pending || 0;
        partner.loyalty_points_pending = fresh.points_pending || 0;
        partner.loyalty_wallet_pending_date = fresh.wallet_pending_date || false;
        partner.loyalty_points_pending_date = fresh.points_pending_date || false;
        return fresh;
    },

    /** The till takes points when one of its payment methods pays with them. */
    get loyaltyTakesPoints() {
        return this.config.payment_method_ids.some((method) => method.loyalty_payment === "points");
    },

    /**
     * What ``product`` (a product template or variant) costs in points at the
     * company's point value, rounded up to whole points so that they cover the
     * price ("32 pts" for 3.19 at 0.10 a point, never "31.9 pts"); 0 when the
     * till takes no points. Display only: a payment with points takes what it
     * is worth (31.9 points there), never more than the price shown.
     */
    loyaltyPointsPrice(product) {
        const template = product?.product_tmpl_id || product;
        if (!this.loyaltyTakesPoints || !template?.getTaxDetails || template.loyalty_topup) {
            return 0;
        }
        const pricelist = this.getOrder()?.pricelist_id || false;
        const price = template.getTaxDetails({ overridedValues: { pricelist } }).total_included;
        // (less a hair: 0.3 / 0.1 is 2.9999999999999996 in floats, 3 points)
        return price > 0 ? Math.ceil(price / this.loyaltyPointValue - 1e-9) : 0;
    },
});
