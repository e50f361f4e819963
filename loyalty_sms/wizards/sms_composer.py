# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _prepare_body_values(self, records):
        """With ``loyalty_sms_variables`` in the context (the loyalty
        broadcast), the @ variables of the members are filled in too."""
        bodies = super()._prepare_body_values(records)
        if records._name != "res.partner" or not self.env.context.get(
            "loyalty_sms_variables"
        ):
            return bodies
        company = self.env.company
        no_rows = self.env["loyalty.transaction"]
        for partner in records:
            rules = self.env["loyalty.sms.rule"].with_context(
                lang=partner._loyalty_sms_lang()
            )
            bodies[partner.id] = rules._loyalty_substitute(
                bodies[partner.id],
                rules._loyalty_variables(partner, company, no_rows, {}),
            )
        return bodies
