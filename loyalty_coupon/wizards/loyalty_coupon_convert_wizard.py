# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import format_amount


class LoyaltyCouponConvertWizard(models.TransientModel):
    _name = "loyalty.coupon.convert.wizard"
    _description = "Convert a Customer's Points into a Coupon"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    points_balance = fields.Float(
        string="Points Available",
        digits="Loyalty Points",
        compute="_compute_points_balance",
    )
    min_points = fields.Float(
        related="company_id.loyalty_coupon_min_points", string="Minimum Points"
    )
    points_per_unit = fields.Float(
        related="company_id.loyalty_coupon_points_per_unit",
        string="Points per Currency Unit",
    )
    denominations_info = fields.Char(
        string="Allowed Values", compute="_compute_denominations_info"
    )
    points = fields.Float(
        string="Points to Convert",
        digits="Loyalty Points",
        required=True,
        help="These points leave the customer's balance for a coupon.",
    )
    value = fields.Monetary(
        string="Coupon Value",
        compute="_compute_value",
        help="What the coupon will be worth at the till.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_points_balance(self):
        for wizard in self:
            wizard.points_balance = (
                wizard.partner_id.commercial_partner_id.with_company(
                    wizard.company_id
                ).loyalty_points
            )

    @api.depends("company_id")
    def _compute_denominations_info(self):
        for wizard in self:
            company = wizard.company_id
            wizard.denominations_info = ", ".join(
                self.env._(
                    "%(value)s (%(points)s points)",
                    value=format_amount(self.env, value, company.currency_id),
                    points=company._loyalty_coupon_points_for(value),
                )
                for value in company._loyalty_coupon_denomination_list()
            )

    @api.depends("points", "company_id")
    def _compute_value(self):
        for wizard in self:
            wizard.value = (
                wizard.company_id._loyalty_coupon_value(wizard.points)
                if wizard.points > 0
                else 0.0
            )

    def action_convert(self):
        self.ensure_one()
        card = self.partner_id.with_company(self.company_id).loyalty_convert_points(
            self.points
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.card",
            "res_id": card.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("loyalty_coupon.loyalty_card_view_form_coupon").id,
                    "form",
                )
            ],
            "target": "current",
        }
