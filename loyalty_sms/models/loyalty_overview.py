# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class LoyaltyOverview(models.AbstractModel):
    _inherit = "loyalty.overview"

    @api.model
    def _loyalty_overview_sections(self, company, today):
        figures = super()._loyalty_overview_sections(company, today)
        month = [
            ("loyalty_company_id", "=", company.id),
            ("create_date", ">=", fields.Date.to_string(today.replace(day=1))),
        ]
        counts = dict(self.env["sms.sms"]._read_group(month, ["state"], ["__count"]))
        figures["sms"] = {
            "sent": counts.get("sent", 0) + counts.get("pending", 0),
            "failed": counts.get("error", 0),
            "queued": counts.get("outgoing", 0) + counts.get("process", 0),
            "domain_sent": [*month, ("state", "in", ["sent", "pending"])],
            "domain_failed": [*month, ("state", "=", "error")],
        }
        return figures
