/** @odoo-module */
// Copyright 2026 Loyalty Suite Contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {PaymentScreen} from "@point_of_sale/app/screens/payment_screen/payment_screen";
import {_t} from "@web/core/l10n/translation";
import {patch} from "@web/core/utils/patch";

patch(PaymentScreen.prototype, {
    /** The club tier of the order's customer (display only: the server decides rewards). */
    get loyaltyTier() {
        return this.currentOrder.getPartner()?.loyalty_tier_id || null;
    },
    get loyaltyTierBenefits() {
        const tier = this.loyaltyTier;
        if (!tier) {
            return "";
        }
        const benefits = [];
        if (tier.cashback_percent) {
            benefits.push(
                tier.cashback_max_amount
                    ? _t("%(percent)s% cashback (up to %(cap)s)", {
                          percent: tier.cashback_percent,
                          cap: this.pos.loyaltyFormatMoney(tier.cashback_max_amount),
                      })
                    : _t("%(percent)s% cashback", {percent: tier.cashback_percent})
            );
        }
        if (tier.points_multiplier > 1) {
            benefits.push(_t("points x%(factor)s", {factor: tier.points_multiplier}));
        }
        if (tier.pricelist_id?.name) {
            benefits.push(_t("prices: %(pricelist)s", {pricelist: tier.pricelist_id.name}));
        }
        return benefits.join(", ");
    },
});
