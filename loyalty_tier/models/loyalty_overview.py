# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class LoyaltyOverview(models.AbstractModel):
    _inherit = "loyalty.overview"

    @api.model
    def _loyalty_overview_sections(self, company, today):
        figures = super()._loyalty_overview_sections(company, today)
        members = [("loyalty_member", "=", True)]
        groups = (
            self.env["res.partner"]
            .with_company(company)
            ._read_group(members, ["loyalty_tier_id"], ["__count"])
        )
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
