# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    loyalty_cancel_count = fields.Integer(
        copy=False,
        readonly=True,
        help="How many times this invoice or credit note was reset to draft or "
        "cancelled after moving credit: each time what it moved is undone, and "
        "posting it again moves credit anew, on its corrected amount.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted:
            move._loyalty_process_posted_move()
        return posted

    def button_draft(self):
        # Cancelling a posted move resets it to draft first: one place.
        posted = self.filtered(lambda move: move.state == "posted")
        res = super().button_draft()
        posted._loyalty_undo()
        return res

    def _loyalty_undo(self):
        """An invoice reset to draft or cancelled earns nothing any more: what
        it earned is taken back (posting it again earns on the corrected
        amount and customer). A credit note reset or cancelled gives back what
        it took."""
        Return = self.env["loyalty.return"]
        for move in self:
            if not move._loyalty_moves_credit():
                continue
            if move.move_type == "out_invoice":
                rows = Return._loyalty_return(move, move, goods_share=1.0)
            else:
                rows = Return._loyalty_restore(move)
            if rows:
                move.loyalty_cancel_count += 1

    def _loyalty_moves_credit(self):
        """Customer invoices and credit notes move credit, except those of POS
        orders (the order itself earned and its refund order returned)."""
        self.ensure_one()
        # sudo: an accountant without Point of Sale rights posts invoices too;
        # only whether the invoice comes from a POS order is read.
        return (
            self.move_type in ("out_invoice", "out_refund")
            and self.partner_id
            and not self.sudo().pos_order_ids
        )

    def _loyalty_process_posted_move(self):
        """Customer invoices earn (sales orders and eCommerce reach the club
        through them) on their rewarded amount; credit notes return their
        share of the invoice (or of the POS order) they reverse."""
        self.ensure_one()
        if not self._loyalty_moves_credit():
            return
        if self.move_type == "out_invoice":
            self.partner_id._loyalty_reward_purchase(
                self,
                self._loyalty_rewarded_amount(),
                self.invoice_date or self.date,
                self.company_id,
                generation=self.loyalty_cancel_count,
            )
        elif self.reversed_entry_id:
            self._loyalty_return_reversed_entry()

    def _loyalty_return_reversed_entry(self):
        original = self.reversed_entry_id
        # sudo: as above; a credit note of a POS order's invoice returns the
        # order's earning (its invoice earned nothing).
        pos_order = original.sudo().pos_order_ids[:1]
        document = pos_order.sudo(False) if pos_order else original
        if pos_order:
            self._loyalty_check_pos_refund(pos_order)
            sold = original.amount_total
            share = self.amount_total / sold if sold else 0.0
        else:
            sold = original._loyalty_rewarded_amount()
            share = abs(self._loyalty_rewarded_amount() / sold) if sold else 0.0
        self.env["loyalty.return"]._loyalty_return(
            document,
            self,
            goods_share=min(share, 1.0),
            generation=self.loyalty_cancel_count,
        )

    def _loyalty_check_pos_refund(self, pos_order):
        """A credit note pays back in money: the part of a POS order paid with
        wallet credit or points must go back to them, by a return at the till,
        unless the company lets it be refunded by any method."""
        if not pos_order.company_id.loyalty_refund_to_wallet_only:
            return
        refundable = self.env["loyalty.return"]._loyalty_refundable(pos_order)
        if any(refundable[pos_order.id].values()):
            raise UserError(
                self.env._(
                    "%(order)s was paid partly with wallet credit or points, "
                    "which go back to the customer's wallet, not in money: "
                    "return it at the Point of Sale (Refund on the order), or "
                    "allow refunding loyalty payments by any method in the "
                    "Loyalty settings.",
                    order=pos_order.display_name,
                )
            )

    def _loyalty_rewarded_amount(self):
        """The part of the total (signed, company currency) that earns: lines
        of products or categories marked "no cashback or points" don't."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        total = sum(lines.mapped("price_total"))
        if not total:
            return self.amount_total_signed
        rewarded = sum(
            lines.filtered(
                lambda line: (
                    not line.product_id
                    or line.product_id.product_tmpl_id._loyalty_is_rewarded()
                )
            ).mapped("price_total")
        )
        return self.amount_total_signed * rewarded / total
