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
        // Points read as counts ("140", not "140.00"): the en_US decimal point
        // is the only "." such a cell could hold.
        {
            content: "back to the overview",
            trigger: ".o_breadcrumb .o_back_button a",
            run: "click",
        },
        {
            content: "open the points behind the points outstanding",
            trigger: ".o_loyalty_overview .o_loyalty_card:contains('Points outstanding'):contains('140')",
            run: "click",
        },
        {
            content: "the ledger shows the points lot without useless decimals",
            trigger: ".o_list_view .o_data_row:contains('Overview Member') td[name='points_amount']:contains('140'):not(:contains('.'))",
        },
        {
            content: "the total of the points column too",
            trigger: ".o_list_view tfoot td:contains('140'):not(:contains('.'))",
        },
        {
            content: "open the movement",
            trigger: ".o_list_view .o_data_row:contains('Overview Member') td[name='points_amount']",
            run: "click",
        },
        {
            content: "the movement's form shows the points as a count",
            trigger: ".o_form_view .o_field_widget[name='points_amount']:contains('140'):not(:contains('.'))",
        },
        {
            content: "open the member from the movement",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] a, .o_form_view .o_field_widget[name='partner_id'] .o_form_uri",
            run: "click",
        },
        {
            content: "the member form shows the points as a count",
            trigger: ".o_form_view .o_loyalty_summary_points .o_field_widget[name='loyalty_points']:contains('140'):not(:contains('.'))",
        },
    ],
});
