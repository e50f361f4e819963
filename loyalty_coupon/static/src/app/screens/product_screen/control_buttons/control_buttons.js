import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { NumberPopup } from "@point_of_sale/app/components/popups/number_popup/number_popup";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(ControlButtons.prototype, {
    /**
     * Convert points of the order's customer into a coupon. The server checks
     * the rules and the balance; the coupon code is kept on the order so that
     * its receipt prints it.
     */
    async clickLoyaltyCouponConvert() {
        const order = this.pos.getOrder();
        const partner = order.getPartner();
        if (!partner) {
            return;
        }
        const points = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("Points to convert into a coupon"),
            subtitle: partner.name,
            confirmButtonLabel: _t("Issue Coupon"),
        });
        if (!points || !(parseFloat(points) > 0)) {
            return;
        }
        const options = await this.loyaltyCouponConvertOptions(partner, parseFloat(points));
        if (!options) {
            return;
        }
        const cardIds = await this.pos.data.call(
            "res.partner",
            "loyalty_convert_points",
            [[partner.id], parseFloat(points)],
            options
        );
        const [card] = await this.pos.data.call("loyalty.card", "read", [
            cardIds,
            ["code", "points", "loyalty_expiration_display"],
        ]);
        order.uiState.loyaltyCoupons = [...(order.uiState.loyaltyCoupons || []), card];
        this.notification.add(
            _t("Coupon %(code)s worth %(value)s issued to %(partner)s.", {
                code: card.code,
                value: this.pos.loyaltyFormatMoneyAtTill(card.points),
                partner: partner.name,
            }),
            { type: "success", sticky: true }
        );
    },

    /**
     * The keyword arguments of the conversion call (e.g. a confirmation the
     * customer gave), or null to give the conversion up.
     */
    async loyaltyCouponConvertOptions(partner, points) {
        return {};
    },
});
