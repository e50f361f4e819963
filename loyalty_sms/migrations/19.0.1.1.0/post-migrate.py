# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Amounts now carry their unit (``@credit`` = "50,000 Toman"): the shipped
bodies that a shop never edited get the new texts, without the old
translations that wrote a currency word after the amount (the Persian ones said
"تومان" whatever the currency)."""

from odoo import SUPERUSER_ID, api

BODIES = {
    "sms_template_loyalty_earn": (
        (
            "Dear @name,\n"
            "thank you for your purchase.\n"
            "@credit has been added to your wallet.\n"
            "Your balance: @totalcredit\n"
            "We look forward to seeing you again.\n"
            "@date"
        ),
        (
            "Dear @name,\n"
            "thank you for your purchase of @amount at @shop.\n"
            "Paid from your club balance: @paid\n"
            "@credit has been added to your wallet.\n"
            "Your balance: @totalcredit\n"
            "@date"
        ),
    ),
    "sms_template_loyalty_spend": (
        (
            "Dear @name, you paid with your club balance at @shop (@date).\n"
            "Wallet: @totalcredit, points: @totalpoints"
        ),
        (
            "Dear @name, you paid with your club balance at @shop (@date).\n"
            "Paid: @paid\n"
            "Wallet balance: @totalcredit, points: @totalpoints"
        ),
    ),
    "sms_template_loyalty_points_expiring": (
        (
            "Dear @name, part of your club balance expires on @expiry: "
            "@points points, @credit credit. See you soon at @shop!"
        ),
        (
            "Dear @name, part of your club balance expires on @expiry: "
            "@points points and @credit. See you soon at @shop!"
        ),
    ),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, (old, new) in BODIES.items():
        template = env.ref(f"loyalty_sms.{xmlid}", raise_if_not_found=False)
        if template and template.with_context(lang="en_US").body == old:
            cr.execute(
                "UPDATE sms_template SET body = jsonb_build_object('en_US', %s::text)"
                " WHERE id = %s",
                [new, template.id],
            )
