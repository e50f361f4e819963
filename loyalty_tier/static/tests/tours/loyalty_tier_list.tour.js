import { registry } from "@web/core/registry";

// A percent field shows "%": the tiers list reads "15%", not "15.00".
registry.category("web_tour.tours").add("LoyaltyTierListTour", {
    steps: () => [
        {
            content: "the tiers list shows the cashback as a percentage",
            trigger: `.o_data_row:contains("LT Gold") .o_data_cell[name="cashback_percent"]:contains("15%")`,
        },
    ],
});
