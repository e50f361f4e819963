import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as TextInputPopup from "@point_of_sale/../tests/generic_helpers/text_input_popup_util";
import { registry } from "@web/core/registry";

function codeIsAsked() {
    return Dialog.is({ title: "Confirmation code" });
}

// Ali pays 150,000 of a 500,000 sofa from his wallet, above the 100,000
// threshold: the till asks for the code texted to him. A wrong code is
// refused and the order stays on the payment screen; the right one pays.
registry.category("web_tour.tours").add("LoyaltySmsOtpTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.clickPartner("Ali Ahmadi"),
            ProductScreen.addOrderline("LS Sofa", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Wallet"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "150,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "350,000.00"),
            PaymentScreen.clickValidate(),
            codeIsAsked(),
            TextInputPopup.inputText("111111"),
            Dialog.confirm("Apply"),
            Dialog.is({ title: "Code refused" }),
            Dialog.bodyIs("The code is wrong."),
            Dialog.confirm(),
            codeIsAsked(),
            {
                content: "the wrong code did not pay: still on the payment screen",
                trigger: ".payment-screen",
            },
            TextInputPopup.inputText("246813"),
            Dialog.confirm("Apply"),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.paymentLineContains("Wallet", "150,000.00"),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
