import { PosStore } from "@point_of_sale/app/services/pos_store";
import { formatFloat } from "@web/core/utils/numbers";
import { patch } from "@web/core/utils/patch";

patch(PosStore.prototype, {
    /** Money worth of one point when a customer pays with points. */
    get loyaltyPointValue() {
        return this.company.loyalty_point_value || 1;
    },

    loyaltyFormatMoney(amount) {
        return this.env.utils.formatCurrency(amount || 0);
    },

    loyaltyFormatPoints(points) {
        return formatFloat(points || 0, { digits: [69, 2], trailingZeros: false });
    },

    /**
     * Read the customer's balances from the server (not the loaded data) and
     * keep them on the partner record, so the till shows what the server knows.
     */
    async loyaltyRefreshBalances(partner) {
        const fresh = await this.data.call("res.partner", "loyalty_pos_balances", [
            [partner.id],
            this.config.id,
        ]);
        partner.loyalty_member = fresh.member;
        partner.loyalty_wallet_balance = fresh.wallet;
        partner.loyalty_points = fresh.points;
        return fresh;
    },
});
