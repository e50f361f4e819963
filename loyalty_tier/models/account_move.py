# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    loyalty_tier_id = fields.Many2one(
        "loyalty.tier",
        string="Customer Tier",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The customer's tier when the invoice was posted (after the "
        "upgrade it earned); a credit note keeps the tier of its invoice.",
    )

    def button_cancel(self):
        posted = self.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        res = super().button_cancel()
        for move in posted.filtered(lambda m: m.state == "cancel"):
            move._loyalty_tier_review_return(
                sale=(
                    move.commercial_partner_id.id,
                    move.amount_total_signed,
                    0.0,
                    move.invoice_date or move.date,
                )
            )
        return res

    def _loyalty_process_posted_move(self):
        res = super()._loyalty_process_posted_move()
        # sudo: an accountant without Point of Sale rights posts invoices too;
        # only whether the invoice comes from a POS order is read.
        if self.sudo().pos_order_ids or not self.partner_id:
            return res
        if self.move_type == "out_invoice":
            self.loyalty_tier_id = self.company_id._loyalty_active_tier_of(
                self.partner_id
            )
        elif self.move_type == "out_refund":
            self.loyalty_tier_id = self.reversed_entry_id.loyalty_tier_id
            self._loyalty_tier_review_return()
        return res

    def _loyalty_tier_review_return(self, sale=None):
        """A credit note or a cancelled invoice takes back goods: the member
        may lose a tier they held only thanks to them."""
        self.ensure_one()
        # sudo: as above, the accountant may not read POS orders.
        if self.sudo().pos_order_ids or not self.partner_id:
            return
        self.env["loyalty.tier"]._loyalty_review_returns(
            self.company_id,
            self.commercial_partner_id.ids,
            fields.Date.context_today(self),
            self,
            sale=sale,
        )

    def _loyalty_tier_sale_amount(self):
        """What this invoice counts for the tier rules: its total in company
        currency."""
        self.ensure_one()
        return self.amount_total_signed
