import { registry } from "@web/core/registry";

// The manager opens the club overview, reads the credit outstanding and
// drills down into the movements behind it.
registry.category("web_tour.tours").add("LoyaltyOverviewTour", {
    steps: () => [
        {
            content: "the overview shows the credit outstanding",
            trigger: ".o_loyalty_overview .o_loyalty_card:contains('Credit outstanding'):contains('12,345.00')",
        },
        {
            content: "the top member is listed",
            trigger: ".o_loyalty_overview .o_loyalty_top_member:contains('Overview Member')",
        },
        {
            content: "open the movements behind the credit",
            trigger: ".o_loyalty_overview .o_loyalty_card:contains('Credit outstanding')",
            run: "click",
        },
        {
            content: "the ledger list shows the member's lot",
            trigger: ".o_list_view .o_data_row:contains('Overview Member')",
        },
    ],
});
