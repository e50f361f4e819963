import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";

// the tour reads text with its no-break spaces as plain spaces
function receiptShows(cssClass, text) {
    return {
        content: `the receipt shows '${text}' in .${cssClass}`,
        trigger: `.receipt-screen .lw-receipt-loyalty .${cssClass}:contains("${text}")`,
    };
}

// An Iranian shop counts in toman while Odoo's IRR is the rial. Ali holds
// 850,000 rials: the till shows his club figures as "85,000 Toman", Odoo's own
// totals stay in rials. He pays the 850,000 from the wallet, 150,050 in cash,
// and earns 15,005 rials of cashback: "1,500.50 Toman".
registry.category("web_tour.tours").add("LoyaltyWalletPosTomanTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.searchCustomerValue("Ali Ahmadi"),
            {
                content: "the customer list shows the wallet in toman",
                trigger: `.modal .partner-list .partner-info:contains("Ali Ahmadi") .lw-wallet:contains("85,000 Toman")`,
            },
            PartnerList.clickPartner("Ali Ahmadi"),
            {
                content: "the customer line shows the wallet in toman",
                trigger: `.product-screen .set-partner .lw-wallet:contains("85,000 Toman")`,
            },
            ProductScreen.addOrderline("LW Carpet", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Wallet"),
            // the payment itself is Odoo's money: rials
            PaymentScreen.selectedPaymentlineHas("Wallet", "850,000.00"),
            // asking for more: the limit in toman, with the till's rials the cashier types
            PaymentScreen.enterPaymentLineAmount("Wallet", "900000"),
            {
                content: "the payment limit reads in toman, then in the till's rials",
                trigger: `.modal-body:contains("at most 85,000 Toman (850,000.00")`,
            },
            Dialog.confirm(),
            PaymentScreen.selectedPaymentlineHas("Wallet", "850,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "150,050.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.paymentLineContains("Wallet", "850,000.00"),
            receiptShows("lw-spent-wallet", `85,000 Toman`),
            receiptShows("lw-earned-wallet", `1,500.50 Toman`),
            receiptShows("lw-wallet-balance", `1,500.50 Toman`),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
