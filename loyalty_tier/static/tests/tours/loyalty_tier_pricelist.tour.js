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

// A Gold customer (tier pricelist: 10 % off) pays 4.59 for a 5.10 product,
// and the payment screen shows their tier and its benefits.
registry.category("web_tour.tours").add("LoyaltyTierPricelistTour", {
    steps: () =>
        [
            patient(Chrome.startPoS()),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Gina Gold"),
            ProductScreen.clickDisplayedProduct("Desk Organizer"),
            ProductScreen.selectedOrderlineHas("Desk Organizer", "1", "4.59"),
            ProductScreen.clickPayButton(),
            {
                content: "the customer's tier and benefits are shown at checkout",
                trigger:
                    ".payment-screen .o_loyalty_tier_info:has(.o_loyalty_tier_name:contains('Gold')):has(.o_loyalty_tier_benefits:contains('Gold 10%'))",
            },
            PaymentScreen.clickPaymentMethod("Bank"),
            PaymentScreen.clickValidate(),
            patient(ReceiptScreen.isShown()),
        ].flat(),
});
