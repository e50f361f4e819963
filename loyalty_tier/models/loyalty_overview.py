# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class LoyaltyOverview(models.AbstractModel):
    _inherit = "loyalty.overview"

    @api.model
    def _loyalty_overview_sections(self, company, today):
        figures = super()._loyalty_overview_sections(company, today)
        members = [("loyalty_member", "=", True)]
        # One scan of the members reading the company's key of the two
        # company-dependent columns (the ORM's group by of a company-dependent
        # many2one joins and sorts every member: seconds at 200,000).
        rows = self.env.execute_query(
            SQL(
                """
                SELECT (loyalty_tier_id ->> %(key)s)::int, COUNT(*)
                  FROM res_partner
                 WHERE active AND (loyalty_member ->> %(key)s)::boolean
              GROUP BY 1
                """,
                key=str(company.id),
            )
        )
        Tier = self.env["loyalty.tier"].with_company(company)
        groups = [
            (Tier.browse(tier_id or ()).exists(), count) for tier_id, count in rows
        ]
        figures["tiers"] = sorted(
            (
                {
                    "id": tier.id,
                    "name": tier.name or self.env._("No tier"),
                    "sequence": tier.sequence if tier else -1,
                    "count": count,
                    "domain": [*members, ("loyalty_tier_id", "=", tier.id)],
                }
                for tier, count in groups
            ),
            key=lambda row: -row["sequence"],
        )
        return figures
