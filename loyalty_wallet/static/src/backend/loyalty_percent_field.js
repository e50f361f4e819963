import { registry } from "@web/core/registry";
import { FloatField, floatField } from "@web/views/fields/float/float_field";
import { formatFloat } from "@web/views/fields/formatters";

/**
 * A rate kept in percent (15 means 15 %), read "15%" in lists and forms and
 * edited as a number beside its "%" sign. Core's ``percentage`` widget is for
 * fractions (0.15), so it would print our 15 as "1500%".
 */
export function formatLoyaltyPercent(value, options = {}) {
    return `${formatFloat(value, { ...options, trailingZeros: false })}%`;
}
formatLoyaltyPercent.extractOptions = formatFloat.extractOptions;

export class LoyaltyPercentField extends FloatField {
    static template = "loyalty_wallet.LoyaltyPercentField";

    get formattedValue() {
        const text = super.formattedValue;
        return this.props.readonly ? `${text}%` : text;
    }
}

export const loyaltyPercentField = {
    ...floatField,
    component: LoyaltyPercentField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...floatField.extractProps(fieldInfo, dynamicInfo),
        trailingZeros: false,
    }),
};

registry.category("formatters").add("loyalty_percent", formatLoyaltyPercent);
registry.category("fields").add("loyalty_percent", loyaltyPercentField);
