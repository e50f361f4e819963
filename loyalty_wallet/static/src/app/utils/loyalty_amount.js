import { _t } from "@web/core/l10n/translation";
import { floatIsZero, formatFloat, roundPrecision } from "@web/core/utils/numbers";

// Odoo's IRR is the rial; Iranian shops and customers count in toman.
export const RIALS_PER_TOMAN = 10;

/**
 * A club amount (in the company currency) as the till shows it: the mirror of
 * the Python ``format_loyalty_amount`` (loyalty_wallet/tools), so that the
 * till, the receipt, the SMS and the portal say the same figure. An IRR
 * company shows rial or toman (``res.company.loyalty_irr_display_unit``):
 * "50,000 Toman" for 500,000 IRR, decimals only when the amount has some.
 * Other currencies keep the till's money format (``formatMoney``), like
 * Odoo's own figures on the same screen.
 */
export function formatLoyaltyAmount(amount, company, formatMoney) {
    const currency = company?.currency_id;
    if (currency?.name !== "IRR") {
        return formatMoney(amount || 0);
    }
    const toman = company.loyalty_irr_display_unit === "toman";
    const value = (amount || 0) * (toman ? 1 / RIALS_PER_TOMAN : 1);
    let digits = currency.decimal_places ?? 2;
    if (floatIsZero(value - Math.round(value), digits)) {
        digits = 0; // 50,000 rather than 50,000.00
    }
    // Python's formatLang rounds half to even
    const rounded = roundPrecision(value, Math.pow(10, -digits), "HALF-EVEN");
    const text = formatFloat(rounded, { digits: [69, digits] });
    return `${text}\u00a0${toman ? _t("Toman") : _t("Rial")}`;
}
