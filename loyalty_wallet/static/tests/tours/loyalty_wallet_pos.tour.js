import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as Order from "@point_of_sale/../tests/generic_helpers/order_widget_util";
import * as NumberPopup from "@point_of_sale/../tests/generic_helpers/number_popup_util";
import * as Numpad from "@point_of_sale/../tests/generic_helpers/numpad_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/pos/tours/utils/ticket_screen_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { inLeftSide } from "@point_of_sale/../tests/pos/tours/utils/common";
import { registry } from "@web/core/registry";

function receiptShows(cssClass, text) {
    return {
        content: `the receipt shows '${text}' in .${cssClass}`,
        trigger: `.receipt-screen .lw-receipt-loyalty .${cssClass}:contains("${text}")`,
    };
}

// Ali has 85,000 in the wallet: he buys a sofa of 500,000, pays 85,000 from
// the wallet (proposed, capped at his balance) and the rest in cash.
registry.category("web_tour.tours").add("LoyaltyWalletPosWalletTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.searchCustomerValue("Ali Ahmadi"),
            {
                content: "the customer list shows the member's wallet and card",
                trigger: `.modal .partner-list .partner-info:contains("Ali Ahmadi") .lw-wallet:contains("85,000.00")`,
            },
            {
                content: "the customer list shows the club card number",
                trigger: `.modal .partner-list .partner-info:contains("Ali Ahmadi") .lw-card:contains("042")`,
            },
            PartnerList.clickPartner("Ali Ahmadi"),
            {
                content: "the order screen shows the member's balance",
                trigger: `.product-screen .set-partner .lw-wallet:contains("85,000.00")`,
            },
            ProductScreen.addOrderline("LW Sofa", "1"),
            ProductScreen.clickPayButton(),
            {
                content: "the payment screen shows the member's balance",
                trigger: `.payment-screen .partner-button .lw-wallet:contains("85,000.00")`,
            },
            PaymentScreen.clickPaymentMethod("Wallet"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "85,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "415,000.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.paymentLineContains("Wallet", "85,000.00"),
            ReceiptScreen.paymentLineContains("Cash", "415,000.00"),
            receiptShows("lw-spent-wallet", "85,000.00"),
            receiptShows("lw-earned-wallet", "41,500.00"),
            receiptShows("lw-wallet-balance", "41,500.00"),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});

// Without a customer the wallet is refused; the club card selects Ali, who
// pays with points (30 points worth 1,000 each): the amount can't exceed
// what the points are worth.
registry.category("web_tour.tours").add("LoyaltyWalletPosPointsTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.addOrderline("LW Sofa", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Wallet"),
            Dialog.bodyIs("Select the customer first"),
            Dialog.confirm(),
            PaymentScreen.emptyPaymentlines("500,000.00"),
            PaymentScreen.clickBack(),
            scan_barcode("0421234567890"),
            ProductScreen.customerIsSelected("Ali Ahmadi"),
            {
                content: "the customer line counts the member's points without decimals",
                trigger: `.product-screen .set-partner .lw-points:contains("30 pts")`,
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Points"),
            PaymentScreen.selectedPaymentlineHas("Points", "30,000.00"),
            {
                content: "the points payment also reads as points",
                trigger: `.paymentlines .paymentline.selected .lw-payment-points:contains("30 pts")`,
            },
            PaymentScreen.enterPaymentLineAmount("Points", "40000"),
            Dialog.bodyIs("can pay at most"),
            Dialog.confirm(),
            PaymentScreen.selectedPaymentlineHas("Points", "30,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "470,000.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.paymentLineContains("Points", "30,000.00"),
            {
                content: "the receipt's points payment says the points it took",
                trigger: `.receipt-screen .paymentlines:contains("Points") .lw-receipt-payment-points:contains("30 pts")`,
            },
            // "30 pts", not "30.00 pts": points print without useless decimals.
            receiptShows("lw-spent-points", "30 pts"),
            receiptShows("lw-earned-points", "23 pts"),
            receiptShows("lw-points-balance", "23 pts"),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});

// John is a contact of ACME, the member: at the till he shows ACME's wallet
// and pays with it (the ledger lives on the company).
registry.category("web_tour.tours").add("LoyaltyWalletPosChildContactTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.searchCustomerValue("John Doe"),
            {
                content: "the customer list shows the company's wallet on its contact",
                trigger: `.modal .partner-list .partner-info:contains("John Doe") .lw-wallet:contains("85,000.00")`,
            },
            PartnerList.clickPartner("John Doe"),
            {
                content: "the order screen shows the company's balance",
                trigger: `.product-screen .set-partner .lw-wallet:contains("85,000.00")`,
            },
            ProductScreen.addOrderline("LW Sofa", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Wallet"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "85,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            receiptShows("lw-spent-wallet", "85,000.00"),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});

// Ali tops up his wallet with 100,000 in cash during a 10% top-up campaign
// (110,000 credited), then pays part of a sofa with it.
registry.category("web_tour.tours").add("LoyaltyWalletPosTopupTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.clickPartner("Ali Ahmadi"),
            ProductScreen.clickDisplayedProduct("Wallet top-up"),
            NumberPopup.enterValue("100000"),
            NumberPopup.isShown("100000"),
            Dialog.confirm(),
            ProductScreen.selectedOrderlineHas("Wallet top-up", "1", "100,000.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Wallet"),
            Dialog.bodyIs("paid in cash or by card"),
            Dialog.confirm(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            receiptShows("lw-topup-wallet", "100,000.00"),
            receiptShows("lw-wallet-balance", "110,000.00"),
            ReceiptScreen.clickNextOrder(),
            ProductScreen.clickPartnerButton(),
            PartnerList.clickPartner("Ali Ahmadi"),
            {
                content: "the till knows the topped-up balance",
                trigger: `.product-screen .set-partner .lw-wallet:contains("110,000.00")`,
            },
            ProductScreen.addOrderline("LW Sofa", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Wallet"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "110,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "390,000.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            receiptShows("lw-spent-wallet", "110,000.00"),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});

// The QR code of Ali's club card (printed, or on the portal page on his
// phone) is scanned at the till: Ali is the customer.
registry.category("web_tour.tours").add("LoyaltyWalletPosScanCardTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            scan_barcode("0421234567890"),
            ProductScreen.customerIsSelected("Ali Ahmadi"),
        ].flat(),
});

function searchPartner(text) {
    return {
        content: `search the customer '${text}'`,
        trigger: ".modal-dialog .input-group input",
        run: `edit ${text}`,
    };
}

// Members are found by phone however the customer says it.
registry.category("web_tour.tours").add("LoyaltyWalletPosPhoneTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            searchPartner("0912 345 6789"),
            PartnerList.clickPartner("Ali Ahmadi"),
            ProductScreen.customerIsSelected("Ali Ahmadi"),
            ProductScreen.clickPartnerButton(),
            searchPartner("0532 123 45 67"),
            PartnerList.clickPartner("Ayse Yilmaz"),
            ProductScreen.customerIsSelected("Ayse Yilmaz"),
            ProductScreen.clickPartnerButton(),
            searchPartner("+98 912 345"),
            PartnerList.clickPartner("Ali Ahmadi"),
            ProductScreen.customerIsSelected("Ali Ahmadi"),
        ].flat(),
});

// With points accepted at the till, the sofa (500,000, a point is worth
// 1,000) shows its price in points, and Ali (1,200 points) can buy 2; the
// lamp (31,900) shows whole points, rounded up.
registry.category("web_tour.tours").add("LoyaltyWalletPosPointsPriceTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "the sofa's card shows its price in points",
                trigger: `article.product:contains("LW Sofa") .lw-points-price:contains("500 pts")`,
            },
            {
                content: "the lamp's price in points is rounded up to whole points",
                trigger: `article.product:contains("LW Lamp") .lw-points-price:contains("32 pts")`,
            },
            ProductScreen.clickPartnerButton(),
            PartnerList.clickPartner("Ali Ahmadi"),
            ProductScreen.clickInfoProduct("LW Sofa"),
            {
                content: "the product info tells the price in points",
                trigger: `.modal .lw-info-points-price:contains("500 pts")`,
            },
            {
                content: "and how many of it the member can buy with his points",
                trigger: `.modal .lw-info-points-affordable:contains("enough for 2")`,
            },
        ].flat(),
});

/** Type ``digits`` on the selected payment line and make it a give-back. */
function enterGiveBack(method, digits) {
    return [...PaymentScreen.enterPaymentLineAmount(method, digits), Numpad.click("+/-")];
}

/** Open the till, pick Ali's paid order and refund one sofa of it. */
function refundAlisSofa(quantity = "") {
    return [
        Chrome.startPoS(),
        Dialog.confirm("Open Register"),
        Chrome.clickOrders(),
        TicketScreen.selectFilter("Paid"),
        TicketScreen.selectOrder("Ali Ahmadi"),
        quantity
            ? inLeftSide([
                  ...Order.hasLine({ productName: "LW Sofa", withClass: ".selected" }),
                  Numpad.click(quantity),
              ])
            : [],
        TicketScreen.confirmRefund(),
        PaymentScreen.isShown(),
        PaymentScreen.totalIs("500,000.00"),
    ].flat();
}

// Ali paid 85,000 of a 500,000 sofa from his wallet (41,500 cashback and 20
// points earned on the cash part) and brings it back: the till proposes to
// give the 85,000 back to the wallet, as the server's figures say, refuses
// more and, the company refunding that share to the wallet only, less.
registry.category("web_tour.tours").add("LoyaltyWalletPosRefundTour", {
    steps: () =>
        [
            refundAlisSofa(),
            PaymentScreen.selectedPaymentlineHas("Wallet", "85,000.00"),
            PaymentScreen.remainingIs("415,000.00"),
            enterGiveBack("Wallet", "100000"),
            Dialog.bodyIs("At most"),
            Dialog.confirm(),
            PaymentScreen.selectedPaymentlineHas("Wallet", "85,000.00"),
            PaymentScreen.clickPaymentline("Wallet", "85,000.00"),
            enterGiveBack("Wallet", "50000"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "50,000.00"),
            PaymentScreen.clickValidate(),
            Dialog.bodyIs("Exactly"),
            Dialog.confirm(),
            PaymentScreen.clickPaymentline("Wallet", "50,000.00"),
            enterGiveBack("Wallet", "85000"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "85,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "415,000.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            receiptShows("lw-spent-wallet", "Given back to wallet"),
            receiptShows("lw-spent-wallet", "85,000.00"),
            receiptShows("lw-earned-wallet", "Cashback taken back"),
            receiptShows("lw-earned-wallet", "41,500.00"),
            receiptShows("lw-earned-points", "Points taken back"),
            receiptShows("lw-wallet-balance", "85,000.00"),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});

// The company lets a refund's wallet share go back by another method: the
// till still proposes the 85,000, and takes 50,000 to the wallet, the rest
// in cash.
registry.category("web_tour.tours").add("LoyaltyWalletPosRefundFreeSplitTour", {
    steps: () =>
        [
            refundAlisSofa(),
            PaymentScreen.selectedPaymentlineHas("Wallet", "85,000.00"),
            PaymentScreen.clickPaymentline("Wallet", "85,000.00"),
            enterGiveBack("Wallet", "50000"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "50,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "450,000.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            receiptShows("lw-spent-wallet", "50,000.00"),
            receiptShows("lw-earned-wallet", "41,500.00"),
            receiptShows("lw-wallet-balance", "50,000.00"),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});

// Ali bought two sofas (1,000,000, 85,000 from the wallet and 30 points worth
// 30,000) and returns one: the till proposes what the server's figures say
// that sofa paid with the wallet and the points, half of each.
registry.category("web_tour.tours").add("LoyaltyWalletPosPartialRefundTour", {
    steps: () =>
        [
            refundAlisSofa("1"),
            PaymentScreen.clickPaymentline("Wallet", "42,500.00"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "42,500.00"),
            PaymentScreen.clickPaymentline("Points", "15,000.00"),
            {
                content: "the points line gives back 15 points",
                trigger: `.paymentlines .paymentline.selected .lw-payment-points:contains("15 pts")`,
            },
            PaymentScreen.remainingIs("442,500.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "442,500.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            receiptShows("lw-spent-wallet", "42,500.00"),
            receiptShows("lw-spent-points", "Points given back"),
            receiptShows("lw-spent-points", "15"),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
