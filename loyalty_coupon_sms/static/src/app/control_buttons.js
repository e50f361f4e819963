import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { askLoyaltyCode } from "@loyalty_sms/app/utils/loyalty_otp";
import { patch } from "@web/core/utils/patch";

patch(ControlButtons.prototype, {
    /**
     * When the company asks for codes, the customer confirms the conversion
     * with the code the server texts them; the server refuses it without.
     */
    async loyaltyCouponConvertOptions(partner, points) {
        const options = await super.loyaltyCouponConvertOptions(...arguments);
        if (!options || !this.pos.company.loyalty_otp_threshold) {
            return options;
        }
        const { challenge } = await this.pos.data.call(
            "res.partner",
            "loyalty_otp_request_conversion",
            [[partner.id], this.pos.config.id, points]
        );
        const proof = await askLoyaltyCode(this.pos, partner, challenge);
        return proof ? { ...options, otp_proof: proof } : null;
    },
});
