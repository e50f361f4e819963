# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.loyalty_wallet.tools import format_loyalty_amount


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_sms_gateway_id = fields.Many2one(
        related="company_id.loyalty_sms_gateway_id", readonly=False
    )
    loyalty_sms_birthday_points = fields.Float(
        related="company_id.loyalty_sms_birthday_points", readonly=False
    )
    loyalty_sms_anniversary_points = fields.Float(
        related="company_id.loyalty_sms_anniversary_points", readonly=False
    )
    loyalty_otp_threshold = fields.Monetary(
        related="company_id.loyalty_otp_threshold", readonly=False
    )

    loyalty_sms_purchase_active = fields.Boolean(
        string="SMS After Each Purchase",
        compute="_compute_loyalty_sms_purchase",
        inverse="_inverse_loyalty_sms_purchase",
        readonly=False,
    )
    loyalty_sms_purchase_body = fields.Text(
        string="Purchase SMS Text",
        compute="_compute_loyalty_sms_purchase",
        inverse="_inverse_loyalty_sms_purchase",
        readonly=False,
    )
    loyalty_sms_purchase_preview = fields.Text(
        string="Preview", compute="_compute_loyalty_sms_purchase_preview"
    )

    @api.model
    def _loyalty_settings_fields(self):
        # The purchase SMS switch and text are the club's settings too, though
        # not fields of the company (they are the company's purchase rule and
        # its template): a Loyalty Manager's save must keep them.
        return super()._loyalty_settings_fields() | {
            "loyalty_sms_purchase_active",
            "loyalty_sms_purchase_body",
        }

    @api.depends("company_id")
    def _compute_loyalty_sms_purchase(self):
        for settings in self:
            rule = settings._loyalty_sms_purchase_rule()
            settings.loyalty_sms_purchase_active = rule.active
            settings.loyalty_sms_purchase_body = rule.template_id.body or ""

    def _inverse_loyalty_sms_purchase(self):
        for settings in self:
            rule = settings._loyalty_sms_purchase_rule()
            if not rule:
                if not settings.loyalty_sms_purchase_active:
                    continue
                rule = settings._loyalty_sms_create_purchase_rule()
            if rule.active != settings.loyalty_sms_purchase_active:
                rule.active = settings.loyalty_sms_purchase_active
            body = settings.loyalty_sms_purchase_body
            if body and body != rule.template_id.body:
                rule.template_id.body = body

    @api.depends("loyalty_sms_purchase_body", "company_id")
    def _compute_loyalty_sms_purchase_preview(self):
        for settings in self:
            settings.loyalty_sms_purchase_preview = settings._loyalty_sms_preview(
                settings.loyalty_sms_purchase_body or ""
            )

    def _loyalty_sms_purchase_rule(self):
        """The company's purchase ("earn") rule, active or not."""
        self.ensure_one()
        return (
            self.env["loyalty.sms.rule"]
            .with_context(active_test=False)
            .search(
                [("company_id", "=", self.company_id.id), ("event", "=", "earn")],
                order="active desc, id",
                limit=1,
            )
        )

    def _loyalty_sms_create_purchase_rule(self):
        return self.env["loyalty.sms.rule"].create(
            {
                "event": "earn",
                "template_id": self.env.ref("loyalty_sms.sms_template_loyalty_earn").id,
                "company_id": self.company_id.id,
            }
        )

    def _loyalty_sms_preview(self, body):
        """``body`` as a member would read it after a purchase in this shop:
        its currency (or toman), its cashback rate, its name."""
        self.ensure_one()
        company = self.company_id
        amount = (company.loyalty_points_step_amount or 100.0) * 10
        if company.loyalty_cashback_type == "fixed":
            credit = company.loyalty_cashback_value
        else:
            credit = amount * company.loyalty_cashback_value / 100
        if company.loyalty_cashback_max_amount:
            credit = min(credit, company.loyalty_cashback_max_amount)
        paid = round(amount / 5, company.currency_id.decimal_places)
        rules = self.env["loyalty.sms.rule"].with_company(company)
        sample = rules._loyalty_sms_placeholders(
            self.env.user.partner_id, self.env["loyalty.transaction"], {}
        )
        sample.update(
            amount=format_loyalty_amount(self.env, amount, company),
            paid=format_loyalty_amount(self.env, paid, company),
            credit=format_loyalty_amount(self.env, credit, company),
            totalcredit=format_loyalty_amount(self.env, credit * 3, company),
        )
        return rules._loyalty_substitute(body, sample)
