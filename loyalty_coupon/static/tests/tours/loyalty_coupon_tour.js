import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import * as Notification from "@point_of_sale/../tests/generic_helpers/notification_util";
import { registry } from "@web/core/registry";

// A coupon worth 12.00 (code 044COUPON12, made from 120 points) pays an order
// of 5.10 in full: 6.90 remain on it.
registry.category("web_tour.tours").add("LoyaltyCouponRedeemTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.addOrderline("Desk Organizer", "1"),
            PosLoyalty.enterCode("044COUPON12"),
            PosLoyalty.orderTotalIs("0.00"),
            PosLoyalty.finalizeOrder("Cash", "0"),
        ].flat(),
});

// The 6.90 left on the coupon pay part of an order of 10.20; cash pays 3.30.
registry.category("web_tour.tours").add("LoyaltyCouponRedeemRestTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            ProductScreen.addOrderline("Desk Organizer", "2"),
            PosLoyalty.orderTotalIs("10.20"),
            PosLoyalty.enterCode("044COUPON12"),
            PosLoyalty.orderTotalIs("3.30"),
            PosLoyalty.finalizeOrder("Cash", "3.30"),
        ].flat(),
});

// The cashier converts 120 points of the selected customer; the coupon code
// is printed on the receipt of the order.
registry.category("web_tour.tours").add("LoyaltyCouponConvertTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Coupon Customer"),
            ProductScreen.addOrderline("Desk Organizer", "1"),
            ProductScreen.clickControlButton("Points to Coupon"),
            NumberPopup.enterValue("120"),
            NumberPopup.isShown("120"),
            Dialog.confirm("Issue Coupon"),
            Notification.has("worth"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the coupon code",
                trigger: ".pos-receipt .o_loyalty_coupon_receipt_code:contains('044')",
            },
        ].flat(),
});
