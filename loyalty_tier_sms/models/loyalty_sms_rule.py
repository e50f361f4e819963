# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class LoyaltySmsRule(models.Model):
    _inherit = "loyalty.sms.rule"

    event = fields.Selection(
        selection_add=[("tier_at_risk", "Tier at risk (before a downgrade)")],
        ondelete={"tier_at_risk": "cascade"},
    )
    template_id = fields.Many2one(
        help="A contact template. Besides Odoo's {{ }} expressions, the body "
        "accepts @name @credit @totalcredit @amount @points @totalpoints @tier "
        "@coupon @expiry @date @shop @progress."
    )

    @api.model
    def _loyalty_sms_placeholders(self, partner, rows, values=None):
        placeholders = super()._loyalty_sms_placeholders(partner, rows, values)
        values = values or {}
        # self.env carries the partner's language: the text is theirs.
        member = partner.commercial_partner_id.with_env(self.env).with_company(
            self.env.company
        )
        placeholders["progress"] = member.loyalty_tier_progress or ""
        if values.get("deadline"):
            placeholders["expiry"] = self._loyalty_format_date(values["deadline"])
        return placeholders
