# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class LoyaltyOverview(models.AbstractModel):
    _inherit = "loyalty.overview"

    @api.model
    def _loyalty_member_group_sql(self, company):
        # A company-dependent many2one: the ORM's group by joins and sorts
        # every member (seconds at 200,000); its key is read directly.
        return SQL("(loyalty_tier_id ->> %s)::int", str(company.id))

    @api.model
    def _loyalty_overview_sections(self, company, today):
        figures = super()._loyalty_overview_sections(company, today)
        members = [("loyalty_member", "=", True)]
        # The members' count already grouped them by tier (one scan).
        rows = figures["_member_groups"].items()
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
