import { PartnerLine } from "@point_of_sale/app/screens/partner_list/partner_line/partner_line";
import { patch } from "@web/core/utils/patch";
import { loyaltyNativeProgramLabel } from "@loyalty_coupon/app/models/pos_order";

patch(PartnerLine.prototype, {
    /** Native loyalty cards say which program their points belong to. */
    _getLoyaltyPointsRepr(loyaltyCard) {
        const repr = super._getLoyaltyPointsRepr(...arguments);
        const program = loyaltyCard.program_id;
        if (program?.program_type === "ewallet" || repr.startsWith(program?.name)) {
            return repr;
        }
        return loyaltyNativeProgramLabel(program, repr);
    },
});
