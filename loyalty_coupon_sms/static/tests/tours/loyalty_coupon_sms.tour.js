import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import * as Notification from "@point_of_sale/../tests/generic_helpers/notification_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as TextInputPopup from "@point_of_sale/../tests/generic_helpers/text_input_popup_util";
import { registry } from "@web/core/registry";

// The cashier converts 120 points of the customer: the till asks for the
// code texted to the customer; a wrong one issues nothing, the right one
// issues the coupon.
registry.category("web_tour.tours").add("LoyaltyCouponSmsConvertTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Coupon Customer"),
            ProductScreen.clickControlButton("Points to Coupon"),
            NumberPopup.enterValue("120"),
            NumberPopup.isShown("120"),
            Dialog.confirm("Issue Coupon"),
            Dialog.is({ title: "Confirmation code" }),
            TextInputPopup.inputText("111111"),
            Dialog.confirm("Apply"),
            Dialog.bodyIs("The code is wrong."),
            Dialog.confirm(),
            Dialog.is({ title: "Confirmation code" }),
            TextInputPopup.inputText("246813"),
            Dialog.confirm("Apply"),
            Notification.has("worth"),
        ].flat(),
});
