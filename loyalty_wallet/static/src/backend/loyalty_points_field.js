import { registry } from "@web/core/registry";
import { floatField } from "@web/views/fields/float/float_field";
import { formatFloat } from "@web/views/fields/formatters";

/**
 * Points read as counts: "140", "12.5", never "140.00". One widget for every
 * points figure of the backend (forms, lists, their totals and group sums,
 * pivots): core's ``hide_trailing_zeros`` option reaches the cells but not
 * the totals, which take the formatter named after the widget.
 */
export function formatLoyaltyPoints(value, options = {}) {
    return formatFloat(value, { ...options, trailingZeros: false });
}
formatLoyaltyPoints.extractOptions = (fieldInfo) => ({
    ...formatFloat.extractOptions(fieldInfo),
    trailingZeros: false,
});

export const loyaltyPointsField = {
    ...floatField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...floatField.extractProps(fieldInfo, dynamicInfo),
        trailingZeros: false,
    }),
};

registry.category("formatters").add("loyalty_points", formatLoyaltyPoints);
registry.category("fields").add("loyalty_points", loyaltyPointsField);
