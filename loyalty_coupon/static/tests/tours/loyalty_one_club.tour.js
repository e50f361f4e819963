import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import { registry } from "@web/core/registry";

function countIs(selector, count, content) {
    return {
        content,
        trigger: selector,
        run() {
            const found = document.querySelectorAll(selector).length;
            if (found !== count) {
                throw new Error(`${selector}: ${found} found, ${count} expected`);
            }
        },
    };
}

// The shop also runs the native "Stamp Card" program: the club's figures show
// once, named "Club" / "Customer club"; the native points carry their
// program's name.
registry.category("web_tour.tours").add("LoyaltyOneClubTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.searchCustomerValue("Club Customer"),
            PartnerList.clickPartner("Club Customer"),
            {
                content: "the customer button shows the club's points under the club's name",
                trigger: `.product-screen .set-partner .lw-partner-balances:has(.lw-club):contains("140 pts")`,
            },
            ProductScreen.addOrderline("Desk Organizer", "2"),
            {
                content: "the order shows the native points under the program's name",
                trigger: `.product-screen .loyalty-points-title:contains("Stamp Card: Loyalty Points")`,
            },
            countIs(".product-screen .loyalty-points-title", 1, "one native count only"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            {
                content: "the receipt prints the club's block",
                trigger: `.pos-receipt .lw-receipt-loyalty:contains("Customer club") .lw-points-balance:contains("150")`,
            },
            countIs(".pos-receipt .lw-receipt-loyalty", 1, "one club block on the receipt"),
            {
                content: "the receipt names the native program's points",
                trigger: `.pos-receipt .loyalty:contains("Stamp Card: Loyalty Points Won:")`,
            },
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
