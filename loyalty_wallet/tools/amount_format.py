# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Money of the loyalty suite as the shop's customers read it."""

from odoo.tools import float_is_zero, formatLang

# Odoo's IRR is the rial; Iranian shops and customers count in toman.
RIALS_PER_TOMAN = 10


def loyalty_amount_unit(env, company):
    """``(factor, label, position)`` of the unit ``company`` shows its
    amounts in: IRR companies choose rial or toman
    (``res.company.loyalty_irr_display_unit``); the others show their
    currency's symbol where the currency puts it."""
    currency = company.currency_id
    if currency.name == "IRR":
        if company.loyalty_irr_display_unit == "toman":
            return 1.0 / RIALS_PER_TOMAN, env._("Toman"), "after"
        return 1.0, env._("Rial"), "after"
    return 1.0, currency.symbol or currency.name, currency.position or "after"


def format_loyalty_amount(env, amount, company, with_unit=True):
    """``amount`` (in the company currency) in the company's display unit,
    with the thousands separators of ``env.lang``: ``50,000 Toman`` for
    500,000 IRR in a toman shop, ``12.00 €``. Money keeps its currency's
    decimals, as on invoices and at the till ("$ 35.00" beside "$ 47.01");
    only rial and toman amounts, whole as Iranians count them, drop them.
    The one formatter of amounts for SMS, receipts and the portal."""
    factor, label, position = loyalty_amount_unit(env, company)
    value = (amount or 0.0) * factor
    digits = company.currency_id.decimal_places
    if company.currency_id.name == "IRR" and float_is_zero(
        value - round(value), precision_digits=digits
    ):
        digits = 0  # 50,000 Toman rather than 50,000.00 Toman
    text = formatLang(env, value, digits=digits)
    if not with_unit:
        return text
    return (
        f"{label}\N{NO-BREAK SPACE}{text}"
        if position == "before"
        else (f"{text}\N{NO-BREAK SPACE}{label}")
    )
