# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class LoyaltyTierMemberReport(models.Model):
    """How many customers held each tier at the end of each month, rebuilt
    from the tier history."""

    _name = "loyalty.tier.member.report"
    _description = "Members per Tier"
    _auto = False
    _order = "date desc"
    _rec_name = "tier_id"

    date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    tier_id = fields.Many2one("loyalty.tier", readonly=True)
    member_count = fields.Integer(string="Members", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH months AS (
                SELECT generate_series(date_trunc('month', MIN(date)),
                                       date_trunc('month', NOW()),
                                       INTERVAL '1 month')::date AS month
                  FROM loyalty_tier_history
            ), held AS (
                SELECT DISTINCT ON (m.month, h.company_id, h.partner_id)
                       m.month, h.company_id, h.new_tier_id
                  FROM months m
                  JOIN loyalty_tier_history h
                    ON h.date < m.month + INTERVAL '1 month'
                 ORDER BY m.month, h.company_id, h.partner_id, h.date DESC, h.id DESC
            )
            SELECT ROW_NUMBER() OVER (ORDER BY month, company_id, new_tier_id) AS id,
                   month AS date, company_id, new_tier_id AS tier_id,
                   COUNT(*) AS member_count
              FROM held
             WHERE new_tier_id IS NOT NULL
             GROUP BY month, company_id, new_tier_id
            """
        )
