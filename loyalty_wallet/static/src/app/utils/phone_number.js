/**
 * Phone numbers as customers say them at the counter: "0912 345 6789",
 * "+98 912 345 6789", "00989123456789", "۰۹۱۲۳۴۵۶۷۸۹" or, in Turkey,
 * "0532 123 45 67" all become the national number "9123456789" /
 * "5321234567", which is what the till compares.
 */

// Calling codes of the countries whose clubs use the suite (Iran, Turkey, Italy).
const CALLING_CODES = ["98", "90", "39"];
const LOCAL_DIGITS = /[\u06F0-\u06F9\u0660-\u0669]/g;

function asciiDigits(text) {
    return text.replace(LOCAL_DIGITS, (digit) => String(digit.charCodeAt(0) % 16));
}

/** The national number of ``text``, or "" when it is not a phone number. */
export function loyaltyNationalNumber(text) {
    const compact = asciiDigits((text || "").trim()).replace(/[\s().\-/]/g, "");
    if (!/^\+?[0-9]+$/.test(compact)) {
        return "";
    }
    let digits = compact.replace(/^\+/, "");
    const international = compact.startsWith("+") || digits.startsWith("00");
    digits = digits.replace(/^00/, "");
    if (international) {
        const code = CALLING_CODES.find((prefix) => digits.startsWith(prefix));
        return code ? digits.slice(code.length) : digits;
    }
    return digits.replace(/^0/, "");
}
