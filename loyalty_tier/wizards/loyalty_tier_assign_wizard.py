# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LoyaltyTierAssignWizard(models.TransientModel):
    """A manager sets a customer's tier by hand, with a reason and an
    optional lock against the retention review."""

    _name = "loyalty.tier.assign.wizard"
    _description = "Change a Customer's Tier"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    tier_id = fields.Many2one(
        "loyalty.tier",
        string="New Tier",
        domain=lambda self: [("company_id", "=", self.env.company.id)],
        help="Leave empty to take the customer out of every tier.",
    )
    locked_until = fields.Date(
        string="Don't Downgrade Until",
        help="The retention review leaves the customer's tier alone until this day.",
    )
    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        self.partner_id.loyalty_tier_assign(
            self.tier_id, self.reason, locked_until=self.locked_until
        )
        return {"type": "ir.actions.act_window_close"}
