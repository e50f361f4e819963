import { ResPartner } from "@point_of_sale/app/models/res_partner";
import { PartnerList } from "@point_of_sale/app/screens/partner_list/partner_list";
import { patch } from "@web/core/utils/patch";
import { loyaltyNationalNumber } from "@loyalty_wallet/app/utils/phone_number";

// Fewer digits than this are not searched as a phone number (card numbers,
// zip codes and house numbers would match everything).
const MIN_PHONE_DIGITS = 4;

patch(ResPartner.prototype, {
    /** The customer's phone as a national number, for the till's search. */
    get loyaltyPhoneKey() {
        return loyaltyNationalNumber(this.phone);
    },
});

patch(PartnerList.prototype, {
    /** A member is also found by phone in any usual form (0912…, +98 912…, 0532…). */
    getPartners(partners) {
        const found = super.getPartners(...arguments);
        const wanted = loyaltyNationalNumber(this.state.query);
        if (wanted.length < MIN_PHONE_DIGITS) {
            return found;
        }
        const byPhone = partners.filter(
            (partner) => !found.includes(partner) && partner.loyaltyPhoneKey.startsWith(wanted)
        );
        return [...found, ...byPhone];
    },
});
