import { deserializeDate, formatDate } from "@web/core/l10n/dates";

/**
 * The day pending club credit becomes spendable, as the till's user reads
 * dates; ``value`` is a date of the loaded data (luxon) or of an RPC answer
 * ("2026-03-15"), empty when nothing is pending.
 */
export function formatPendingDate(value) {
    if (!value) {
        return "";
    }
    return formatDate(typeof value === "string" ? deserializeDate(value) : value);
}
