import { PartnerList } from "@point_of_sale/app/screens/partner_list/partner_list";
import { patch } from "@web/core/utils/patch";

patch(PartnerList.prototype, {
    /** The balance column shows the members' wallet, points and club card. */
    get isBalanceDisplayed() {
        return true;
    },
});
