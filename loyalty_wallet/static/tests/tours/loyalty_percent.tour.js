import { registry } from "@web/core/registry";

/** Fails unless the "%" sits on the same line as the input it belongs to. */
function percentBesideInput(fieldName) {
    return {
        content: `the % of ${fieldName} sits beside its input, not on a line of its own`,
        trigger: `.o_loyalty_percent_row:has(.o_field_widget[name="${fieldName}"]) span:contains("%")`,
        run() {
            const input = document.querySelector(`.o_field_widget[name="${fieldName}"] input`);
            const box = input.getBoundingClientRect();
            const sign = this.anchor.getBoundingClientRect();
            if (sign.top >= box.bottom || sign.left < box.right) {
                throw new Error(`"%" is not beside the ${fieldName} input`);
            }
        },
    };
}

// A percent field shows "%": the campaigns list reads "15%", and the
// settings put the cashback's "%" beside its value.
registry.category("web_tour.tours").add("LoyaltyPercentTour", {
    steps: () => [
        {
            content: "the campaigns list shows the cashback as a percentage",
            trigger: `.o_data_row:contains("LW Festival") .o_data_cell[name="cashback_percent"]:contains("15%")`,
        },
        {
            content: "open the club's settings",
            trigger: "body",
            run: "goToUrl /odoo/action-loyalty_wallet.action_loyalty_config_settings",
            expectUnloadPage: true,
        },
        percentBesideInput("loyalty_cashback_value"),
    ],
});
