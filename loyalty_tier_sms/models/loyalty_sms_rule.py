# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models

# "@progress" but not "@progressive".
PROGRESS_RE = re.compile(r"@progress(?![A-Za-z0-9_])")


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
    def _loyalty_variables(self, partner, company, rows, values):
        variables = super()._loyalty_variables(partner, company, rows, values)
        # self.env carries the partner's language: the text is theirs.
        member = partner.commercial_partner_id.with_env(self.env).with_company(company)
        variables["progress"] = member.loyalty_tier_progress or ""
        if values.get("deadline"):
            variables["expiry"] = self._loyalty_format_date(values["deadline"])
        return variables

    @api.model
    def _loyalty_substitute(self, body, variables):
        body = super()._loyalty_substitute(body, variables)
        if "progress" not in variables:
            return body
        return PROGRESS_RE.sub(lambda _match: variables["progress"], body)
