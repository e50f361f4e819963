# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_coupon_min_points = fields.Float(
        related="company_id.loyalty_coupon_min_points", readonly=False
    )
    loyalty_coupon_points_per_unit = fields.Float(
        related="company_id.loyalty_coupon_points_per_unit", readonly=False
    )
    loyalty_coupon_validity_days = fields.Integer(
        related="company_id.loyalty_coupon_validity_days", readonly=False
    )
    loyalty_coupon_reminder_days = fields.Integer(
        related="company_id.loyalty_coupon_reminder_days", readonly=False
    )
    loyalty_coupon_denominations = fields.Char(
        related="company_id.loyalty_coupon_denominations", readonly=False
    )
    loyalty_coupon_program_id = fields.Many2one(
        related="company_id.loyalty_coupon_program_id",
        readonly=False,
        domain="[('program_type', '=', 'gift_card'), "
        "('company_id', 'in', [company_id, False])]",
    )

    def _loyalty_after_settings_saved(self):
        res = super()._loyalty_after_settings_saved()
        # Show the program the coupons will land in as soon as the settings
        # are saved, rather than on the first conversion.
        self.company_id._loyalty_coupon_program()
        return res

    loyalty_coupon_account_id = fields.Many2one(
        related="company_id.loyalty_coupon_account_id", readonly=False
    )
