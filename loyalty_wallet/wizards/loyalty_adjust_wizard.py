# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.loyalty_transaction import KINDS


class LoyaltyAdjustWizard(models.TransientModel):
    _name = "loyalty.adjust.wizard"
    _description = "Adjust a Customer's Wallet or Points"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    kind = fields.Selection(KINDS, required=True, default="wallet")
    amount = fields.Float(
        required=True,
        help="Positive to add, negative to take away (first-expiring first).",
    )
    description = fields.Char(string="Reason", required=True)
    expiration_date = fields.Date(help="When added credit or points expire.")

    def action_confirm(self):
        self.ensure_one()
        self.partner_id.loyalty_adjust(
            self.kind, self.amount, self.description, self.expiration_date
        )
        return {"type": "ir.actions.act_window_close"}
