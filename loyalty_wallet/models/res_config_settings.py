# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_cashback_active = fields.Boolean(
        related="company_id.loyalty_cashback_active", readonly=False
    )
    loyalty_cashback_type = fields.Selection(
        related="company_id.loyalty_cashback_type", readonly=False
    )
    loyalty_cashback_value = fields.Float(
        related="company_id.loyalty_cashback_value", readonly=False
    )
    loyalty_cashback_min_amount = fields.Monetary(
        related="company_id.loyalty_cashback_min_amount", readonly=False
    )
    loyalty_cashback_max_amount = fields.Monetary(
        related="company_id.loyalty_cashback_max_amount", readonly=False
    )
    loyalty_cashback_exclude_loyalty_payments = fields.Boolean(
        related="company_id.loyalty_cashback_exclude_loyalty_payments", readonly=False
    )
    loyalty_points_active = fields.Boolean(
        related="company_id.loyalty_points_active", readonly=False
    )
    loyalty_points_step_amount = fields.Monetary(
        related="company_id.loyalty_points_step_amount", readonly=False
    )
    loyalty_points_per_step = fields.Float(
        related="company_id.loyalty_points_per_step", readonly=False
    )
    loyalty_points_per_order = fields.Float(
        related="company_id.loyalty_points_per_order", readonly=False
    )
    loyalty_points_signup = fields.Float(
        related="company_id.loyalty_points_signup", readonly=False
    )
    loyalty_points_validity_days = fields.Integer(
        related="company_id.loyalty_points_validity_days", readonly=False
    )
    loyalty_wallet_validity_days = fields.Integer(
        related="company_id.loyalty_wallet_validity_days", readonly=False
    )
    loyalty_expiry_reminder_days = fields.Integer(
        related="company_id.loyalty_expiry_reminder_days", readonly=False
    )
    loyalty_point_value = fields.Monetary(
        related="company_id.loyalty_point_value", readonly=False
    )
    loyalty_auto_enroll = fields.Boolean(
        related="company_id.loyalty_auto_enroll", readonly=False
    )
    loyalty_wallet_account_id = fields.Many2one(
        related="company_id.loyalty_wallet_account_id", readonly=False
    )
    loyalty_cashback_expense_account_id = fields.Many2one(
        related="company_id.loyalty_cashback_expense_account_id", readonly=False
    )
