// Copyright 2026 Loyalty Suite Contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import {registry} from "@web/core/registry";

// Loading the till and syncing the order wait for the server: on a busy CI
// machine they take longer than a step's default 10 s.
const patient = (steps) => [steps].flat().map((step) => ({...step, timeout: 30000}));

// A Silver member sees at the till what Gold takes, and the receipt of the
// sale carries the new figure (Gold: 1,500 of spend; 300 spent, then 5.10).
registry.category("web_tour.tours").add("LoyaltyTierProgressTour", {
    steps: () =>
        [
            patient(Chrome.startPoS()),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            {
                content: "the customer line tells the tier and what the next one takes",
                trigger:
                    ".partner-info:contains('Pia Progress') .o_loyalty_tier_standing:has(.o_loyalty_tier_name:contains('Silver')):has(.o_loyalty_tier_progress:contains('1,200.00 more to reach Gold'))",
            },
            ProductScreen.clickCustomer("Pia Progress"),
            ProductScreen.clickDisplayedProduct("Desk Organizer"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Bank"),
            PaymentScreen.clickValidate(),
            patient(ReceiptScreen.isShown()),
            {
                content: "the receipt carries what is left to reach Gold after this sale",
                trigger: ".pos-receipt .lt-receipt-progress:contains('1,194.90 more to reach Gold')",
            },
        ].flat(),
});
