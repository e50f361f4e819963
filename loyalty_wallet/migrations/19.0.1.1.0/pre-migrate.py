# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Membership becomes per company: ``loyalty_member`` and
``loyalty_enrolled_on`` turn from plain columns into company-dependent jsonb
ones. A member of the single club so far stays a member, since the same day,
in every company (that is what the plain column meant)."""

from odoo.tools import SQL
from odoo.tools.sql import table_columns


def _to_company_dependent(cr, column, to_json):
    existing = table_columns(cr, "res_partner").get(column)
    if not existing or existing["udt_name"] == "jsonb":
        return
    old = f"{column}_single_club"
    cr.execute(
        SQL(
            "ALTER TABLE res_partner RENAME COLUMN %s TO %s",
            SQL.identifier(column),
            SQL.identifier(old),
        )
    )
    cr.execute(
        SQL("ALTER TABLE res_partner ADD COLUMN %s jsonb", SQL.identifier(column))
    )
    cr.execute(
        SQL(
            """
            UPDATE res_partner p
               SET %(new)s = (SELECT jsonb_object_agg(c.id::text, %(value)s)
                                FROM res_company c)
             WHERE p.%(old)s IS NOT NULL AND p.%(old)s::text <> 'false'
            """,
            new=SQL.identifier(column),
            old=SQL.identifier(old),
            value=to_json(SQL.identifier("p", old)),
        )
    )
    cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(old)))


def migrate(cr, version):
    _to_company_dependent(cr, "loyalty_member", lambda col: SQL("to_jsonb(%s)", col))
    _to_company_dependent(
        cr, "loyalty_enrolled_on", lambda col: SQL("to_jsonb(%s::text)", col)
    )
