# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools.sms_api import LoyaltySmsApi


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_sms_gateway_id = fields.Many2one(
        "loyalty.sms.gateway",
        string="SMS Gateway",
        domain="[('company_id', '=', id)]",
        ondelete="set null",
        help="When set, every SMS of this company (loyalty messages, templates, "
        "composer, marketing) goes through this gateway instead of Odoo's IAP "
        "service.",
    )
    loyalty_sms_birthday_points = fields.Float(
        string="Birthday Bonus Points",
        digits="Loyalty Points",
        help="Points given to members on their birthday, with the greeting SMS.",
    )
    loyalty_sms_anniversary_points = fields.Float(
        string="Anniversary Bonus Points",
        digits="Loyalty Points",
        help="Points given to members on their wedding anniversary.",
    )

    loyalty_otp_threshold = fields.Monetary(
        string="Confirmation Code Above",
        currency_field="currency_id",
        help="A POS order paying more than this from the wallet or with points "
        "needs the code the server texts to the member (0 = never).",
    )

    def write(self, vals):
        first_gateway = (
            self.filtered(lambda company: not company.loyalty_sms_gateway_id)
            if vals.get("loyalty_sms_gateway_id")
            else self.browse()
        )
        res = super().write(vals)
        first_gateway._loyalty_sms_enable_default_rules()
        return res

    def _get_sms_api_class(self):
        self.ensure_one()
        if self._loyalty_sms_gateway():
            return LoyaltySmsApi
        return super()._get_sms_api_class()

    def _loyalty_sms_enable_default_rules(self):
        """Switch on the shipped rules (one per event) of a company that gets
        its first gateway, unless the shop already chose its rules (one of
        its rules is active)."""
        # sudo: rules are configuration; the settings page sets the gateway.
        Rule = self.env["loyalty.sms.rule"].sudo().with_context(active_test=False)
        shipped = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [("module", "=", "loyalty_sms"), ("model", "=", "loyalty.sms.rule")]
            )
        )
        shipped_rules = Rule.browse(shipped.mapped("res_id")).exists()
        for company in self:
            if Rule.search_count(
                [("company_id", "=", company.id), ("active", "=", True)], limit=1
            ):
                continue
            shipped_rules.filtered_domain(
                [("company_id", "=", company.id)]
            ).active = True

    def _loyalty_sms_gateway(self):
        """The active gateway carrying this company's SMS, as superuser: any
        user's SMS goes through it, only managers may read its secrets."""
        self.ensure_one()
        return self.sudo().loyalty_sms_gateway_id.filtered("active")

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "loyalty_otp_threshold"]
