# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    loyalty_cancel_count = fields.Integer(
        copy=False,
        readonly=True,
        help="How many times this invoice was cancelled after earning; posting "
        "it again after a cancellation earns anew.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted:
            move._loyalty_process_posted_move()
        return posted

    def button_cancel(self):
        res = super().button_cancel()
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            # A cancelled sale earns nothing: take back what it earned.
            if self.env["res.partner"]._loyalty_reverse(move, move, 1.0):
                move.loyalty_cancel_count += 1
        return res

    def _loyalty_process_posted_move(self):
        """Customer invoices earn (sales orders and eCommerce reach the club
        through them); credit notes take back their share. Invoices of POS
        orders are skipped: the POS order itself earned."""
        self.ensure_one()
        # sudo: an accountant without Point of Sale rights posts invoices too;
        # only whether the invoice comes from a POS order is read.
        if self.sudo().pos_order_ids or not self.partner_id:
            return
        if self.move_type == "out_invoice":
            self.partner_id._loyalty_reward_purchase(
                self,
                self.amount_total_signed,
                self.invoice_date or self.date,
                self.company_id,
                generation=self.loyalty_cancel_count,
            )
        elif self.move_type == "out_refund" and self.reversed_entry_id:
            original = self.reversed_entry_id
            if original.amount_total:
                ratio = min(self.amount_total / original.amount_total, 1.0)
                self.env["res.partner"]._loyalty_reverse(original, self, ratio)
