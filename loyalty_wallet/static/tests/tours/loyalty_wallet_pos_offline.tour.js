/* global posmodel */

import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as OfflineUtil from "@point_of_sale/../tests/generic_helpers/offline_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/pos/tours/utils/ticket_screen_util";
import { registry } from "@web/core/registry";

// What the test's Python side (the rest of the shop chain) answers through
// the browser's console: see test_pos_offline_tour.py.
const TILL_OFFLINE_SIGNAL = "lw-tour: the till took the order offline";

async function waitFor(condition, what, timeout = 30000) {
    const started = Date.now();
    while (!condition()) {
        if (Date.now() - started > timeout) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

// Ali has 85,000 in the wallet. The till loses the network, sells him a sofa
// of 500,000 paid 85,000 from the wallet and the rest in cash, and keeps the
// order. Meanwhile Ali spends his 85,000 at another till of the chain. When
// the network comes back the order syncs: it lands, the 85,000 the wallet no
// longer had become his debt, and the reprinted receipt says so.
registry.category("web_tour.tours").add("LoyaltyWalletPosOfflineDebtTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            PartnerList.clickPartner("Ali Ahmadi"),
            ProductScreen.addOrderline("LW Sofa", "1"),
            ProductScreen.clickPayButton(),
            OfflineUtil.setOfflineMode(),
            PaymentScreen.clickPaymentMethod("Wallet"),
            PaymentScreen.selectedPaymentlineHas("Wallet", "85,000.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "415,000.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            Dialog.confirm("Continue with limited functionality"),
            {
                content: "the order waits on the till, unsynced",
                trigger: ".receipt-screen",
                run: () => {
                    const { orderToCreate } = posmodel.getPendingOrder();
                    if (orderToCreate.length !== 1) {
                        throw new Error(`${orderToCreate.length} orders wait, expected 1`);
                    }
                    window.lwOfflineSince = Date.now();
                    console.log(TILL_OFFLINE_SIGNAL);
                },
            },
            {
                content: "meanwhile Ali spends his wallet at another till",
                trigger: ".receipt-screen",
                run: async () => {
                    await waitFor(() => window.lwSpentElsewhere, "the other till's sale");
                    if (window.lwSpentElsewhere !== "ok") {
                        throw new Error(`the other till failed: ${window.lwSpentElsewhere}`);
                    }
                    // offline longer than the late-order delay (shortened by the test)
                    await waitFor(() => Date.now() - window.lwOfflineSince > 3000, "the delay");
                },
            },
            OfflineUtil.setOnlineMode(),
            {
                content: "the network comes back: the till syncs the waiting order",
                trigger: ".receipt-screen",
                run: async () => {
                    window.dispatchEvent(new Event("online"));
                    await waitFor(
                        () => posmodel.getPendingOrder().orderToCreate.length === 0,
                        "the order to sync"
                    );
                },
            },
            ReceiptScreen.clickNextOrder(),
            Chrome.clickOrders(),
            TicketScreen.selectFilter("Paid"),
            TicketScreen.selectOrderByPrice("500,000.00"),
            {
                content: "printing works without a printer",
                trigger: ".ticket-screen",
                run: () => {
                    window.print = () => {};
                },
            },
            {
                content: "reprint the receipt",
                trigger: ".ticket-screen button:contains('Print Receipt')",
                run: "click",
            },
            {
                content: "the reprinted receipt shows the debt",
                trigger: `.render-container .lw-receipt-loyalty .lw-loyalty-debt:contains("85,000.00")`,
            },
            {
                content: "and the wallet balance after it (the sofa's cashback paid part)",
                trigger: `.render-container .lw-receipt-loyalty .lw-wallet-balance:contains("43,500.00")`,
            },
        ].flat(),
});
