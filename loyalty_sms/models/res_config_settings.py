# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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
