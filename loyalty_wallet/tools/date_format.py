# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dates of the loyalty suite as the shop's customers read them."""

import datetime

import jdatetime
import pytz

from odoo.tools.misc import format_date

# Persian speakers read the solar hijri (Jalali) calendar.
JALALI_LANGS = ("fa_IR", "fa_AF")


def format_loyalty_date(env, value, lang=None, tz=None, with_time=False):
    """``value`` (a date, or a naive UTC datetime as the ORM gives it) for
    a reader of ``lang`` in time zone ``tz``.

    Persian: Jalali ``1400/04/05`` (``1400/04/05 09:50`` with the time);
    any other language: its own date format (``06/26/2021 09:50``).
    ``lang`` and ``tz`` default to the environment's (else the user's time
    zone, else UTC); ``with_time`` only applies to datetimes.

    :return: the formatted string, ``""`` when ``value`` is empty.
    """
    if not value:
        return ""
    lang = lang or env.lang or "en_US"
    local = None
    day = value
    if isinstance(value, datetime.datetime):
        zone = pytz.timezone(tz or env.context.get("tz") or env.user.tz or "UTC")
        local = pytz.utc.localize(value).astimezone(zone)
        day = local.date()
    if lang in JALALI_LANGS:
        text = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    else:
        text = format_date(env, day, lang_code=lang)
    if with_time and local:
        text = f"{text} {local:%H:%M}"
    return text
