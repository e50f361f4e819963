# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _loyalty_notify(self, event, transactions, **values):
        res = super()._loyalty_notify(event, transactions, **values)
        if event == "tier_at_risk":
            self.env["loyalty.sms.rule"]._loyalty_queue_event(
                "tier_at_risk", transactions, **values
            )
        return res
