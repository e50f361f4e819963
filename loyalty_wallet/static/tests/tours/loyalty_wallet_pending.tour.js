import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";

// Ali holds 70,000: 20,000 available and the 50,000 cashback of last week's
// sale, pending until the return window ends. The till shows both and pays
// only the 20,000 from the wallet.
registry.category("web_tour.tours").add("LoyaltyWalletPosPendingTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.searchCustomerValue("Ali Ahmadi"),
            {
                content: "the customer list shows the pending credit and its date",
                trigger: `.modal .partner-list .partner-info:contains("Ali Ahmadi") .lw-wallet-pending:contains("50,000.00"):contains("pending until")`,
            },
            PartnerList.clickPartner("Ali Ahmadi"),
            {
                content: "the order screen shows the balance and the pending part",
                trigger: `.product-screen .set-partner .lw-wallet:contains("70,000.00")`,
            },
            {
                trigger: `.product-screen .set-partner .lw-wallet-pending:contains("50,000.00")`,
            },
            ProductScreen.addOrderline("LW Sofa", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Wallet"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "20,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "480,000.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            {
                content: "the receipt shows what is pending: last week's and this sale's",
                trigger: `.receipt-screen .lw-receipt-loyalty .lw-wallet-pending:contains("98,000.00"):contains("Pending until")`,
            },
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});

// The same till for a cashier who reads Persian: the day the pending credit
// becomes spendable (21 March 2030) reads as the Jalali 1409/01/01.
registry.category("web_tour.tours").add("LoyaltyWalletPosPendingJalaliTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.searchCustomerValue("Ali Ahmadi"),
            {
                content: "the pending credit's day is in the Jalali calendar",
                trigger: `.modal .partner-list .partner-info:contains("Ali Ahmadi") .lw-wallet-pending:contains("50,000.00"):contains("1409/01/01")`,
            },
        ].flat(),
});
