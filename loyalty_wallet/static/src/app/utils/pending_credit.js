import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { user } from "@web/core/user";

// Languages that read dates in the Jalali calendar, as the server's
// tools/date_format.py JALALI_LANGS (JavaScript locale codes).
const JALALI_LOCALES = ["fa-IR", "fa-AF"];

/**
 * The day pending club credit becomes spendable, as the till's user reads
 * dates (Jalali "1405/09/18" in Persian, like the portal and the SMS);
 * ``value`` is a date of the loaded data (luxon) or of an RPC answer
 * ("2026-03-15"), empty when nothing is pending.
 */
export function formatPendingDate(value) {
    if (!value) {
        return "";
    }
    const day = typeof value === "string" ? deserializeDate(value) : value;
    if (JALALI_LOCALES.includes(user.lang)) {
        return day
            .reconfigure({ outputCalendar: "persian", numberingSystem: "latn" })
            .toFormat("yyyy/MM/dd");
    }
    return formatDate(day);
}
