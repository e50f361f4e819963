# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    loyalty_tier_id = fields.Many2one(
        "loyalty.tier",
        string="Customer Tier",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The customer's tier when the order was paid (after the upgrade "
        "this order earned); a refund keeps the tier of the order it refunds.",
    )

    loyalty_tier_progress = fields.Char(
        string="Tier Progress on the Receipt",
        readonly=True,
        copy=False,
        help="Where the customer stood once the order was paid (what the next "
        "tier takes), printed on the receipt.",
    )

    def _loyalty_process_paid_order(self):
        res = super()._loyalty_process_paid_order()
        if self.refunded_order_id:
            self.loyalty_tier_id = self.refunded_order_id.loyalty_tier_id
            if self.partner_id:
                self.env["loyalty.tier"]._loyalty_review_returns(
                    self.company_id,
                    self.partner_id.commercial_partner_id.ids,
                    fields.Date.to_date(self.date_order),
                    self,
                )
        elif self.partner_id:
            self.loyalty_tier_id = self.company_id._loyalty_active_tier_of(
                self.partner_id
            )
        if self.partner_id.commercial_partner_id.loyalty_member:
            # In the seller's language: the receipt is printed at their till.
            self.loyalty_tier_progress = (
                self.partner_id.commercial_partner_id.with_company(
                    self.company_id
                ).loyalty_tier_progress
            )
        return res

    def _loyalty_tier_sale_amount(self):
        """What this order counts for the tier rules: its total."""
        self.ensure_one()
        return self.amount_total
