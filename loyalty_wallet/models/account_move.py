# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount


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
        for move in self:
            move._loyalty_check_topup_lines()
            # Credit notes posted together (a batch, the auto-post cron)
            # count against each other.
            move._loyalty_check_topup_credit(batch=self)
        posted = super()._post(soft=soft)
        for move in posted:
            move._loyalty_process_posted_move()
        return posted

    def button_draft(self):
        # Cancelling a posted move resets it to draft first: one place.
        posted = self.filtered(lambda move: move.state == "posted")
        for move in posted:
            move._loyalty_check_topup_reset()
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
                Return._loyalty_return(move, move, goods_share=1.0)
            else:
                Return._loyalty_restore(move)
            # Posting it again earns (or takes back) anew, under new keys.
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
            rows = self.partner_id._loyalty_reward_purchase(
                self,
                self._loyalty_rewarded_amount(),
                self.invoice_date or self.date,
                self.company_id,
                generation=self.loyalty_cancel_count,
            )
            if self.loyalty_cancel_count:
                self._loyalty_reapply_returns(rows)
        elif self.reversed_entry_id:
            self._loyalty_return_reversed_entry()

    def _loyalty_reapply_returns(self, earnings):
        """An invoice posted again after a reset earns anew: what its earlier
        earnings could not take back when it was reset (the customer had
        spent it: a shortfall) is taken from the new earning first, and the
        credit notes still posted take their share of it again."""
        Return = self.env["loyalty.return"]
        Return._loyalty_recover_shortfalls(self, earnings)
        for note in self._loyalty_posted_credit_notes().sudo(False):
            note._loyalty_return_reversed_entry()

    def _loyalty_posted_credit_notes(self):
        """The posted credit notes of this invoice, all of them whoever
        posted them (sudo: an accountant may be restricted to some journals,
        and every credit note counts against the invoice's earnings)."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("reversed_entry_id", "=", self.id),
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                ]
            )
        )

    def _loyalty_return_reversed_entry(self):
        original = self.reversed_entry_id
        # sudo: as above; a credit note of a POS order's invoice returns the
        # order's earning (its invoice earned nothing).
        pos_order = original.sudo().pos_order_ids[:1]
        document = pos_order.sudo(False) if pos_order else original
        if pos_order:
            self._loyalty_check_pos_refund(pos_order)
        sold = original._loyalty_rewarded_amount()
        share = abs(self._loyalty_rewarded_amount() / sold) if sold else 0.0
        if sold and original._loyalty_fully_credited():
            # The last credit note of the invoice takes all that is left of
            # its earnings, not a share rounded down (see pos.order's
            # _loyalty_returned_share).
            share = 1.0
        topups = original._loyalty_topup_amount()
        topup_share = abs(self._loyalty_topup_amount() / topups) if topups else 0.0
        self.env["loyalty.return"]._loyalty_return(
            document,
            self,
            goods_share=min(share, 1.0),
            # A top-up earns nothing, so its share is not one of the goods.
            topup_share=min(topup_share, 1.0),
            generation=self.loyalty_cancel_count,
        )

    def _loyalty_fully_credited(self):
        """Whether the posted credit notes of this invoice return all of its
        rewarded amount."""
        self.ensure_one()
        credited = sum(
            abs(note._loyalty_rewarded_amount())
            for note in self._loyalty_posted_credit_notes()
        )
        return (
            self.company_id.currency_id.compare_amounts(
                credited, abs(self._loyalty_rewarded_amount())
            )
            >= 0
        )

    def _loyalty_check_pos_refund(self, pos_order):
        """A credit note pays back in money, and cannot give credit back to
        the wallet: a POS order paid partly with wallet credit or points is
        returned at the till, which gives that part back (or, if the company
        allows it, refunds it by another method) and counts it against what
        the order may still give back."""
        refundable = self.env["loyalty.return"]._loyalty_refundable(pos_order)
        if any(refundable[pos_order.id].values()):
            raise UserError(
                self.env._(
                    "%(order)s was paid partly with wallet credit or points, "
                    "which a credit note cannot give back: return it at the "
                    "Point of Sale (Refund on the order).",
                    order=pos_order.display_name,
                )
            )

    def _loyalty_unrecovered_shortfall(self, kind, current):
        """What this invoice's earlier earnings of ``kind`` (all but
        ``current``, the new posting's) still leave with the customer: what
        they credited less what resets and credit notes took back of them.
        It is not zero only when a take-back found the credit spent."""
        self.ensure_one()
        # sudo: the accountant may not read the ledger.
        earlier = (
            self.env["loyalty.transaction"]
            .sudo()
            .search(
                [
                    ("source_model", "=", self._name),
                    ("source_id", "=", self.id),
                    ("kind", "=", kind),
                    ("operation", "=", "earn"),
                    ("id", "not in", current.ids),
                ]
            )
        )
        left = sum(
            earning.amount
            + sum(
                r.amount
                for r in earning._loyalty_reversals()
                if not r._loyalty_is_restored()
            )
            for earning in earlier
        )
        return max(left, 0.0)

    # ------------------------------------------------------------------
    # Wallet top-ups: sold at the till, invoiced only as POS orders
    # ------------------------------------------------------------------

    def _loyalty_check_topup_lines(self):
        """Wallet top-ups are sold at the till, which credits the wallet, and
        their invoice lines are booked on the wallet liability: the lines must
        match what the ledger moved, or the liability drifts from the wallets.

        - an invoice (or credit note) outside a POS order holds no top-up: the
          customer's money would reach the liability and no wallet;
        - the invoice of POS orders (or of their refunds; consolidated, it may
          be a credit note) holds exactly the orders' top-ups, not an amount
          edited after a reset;
        - a credit note of such an invoice is in its currency, and credits at
          most the top-ups its other credit notes left
          (``_loyalty_check_topup_credit``, once posted);
        - top-up lines are on the company's wallet account when it has one.
        """
        self.ensure_one()
        lines = self._loyalty_topup_lines()
        if self.move_type not in ("out_invoice", "out_refund") or not lines:
            return
        # sudo: an accountant without Point of Sale rights posts invoices too;
        # only the POS orders behind the move and their top-ups are read.
        own_orders = self.sudo().pos_order_ids
        invoice_orders = self.reversed_entry_id.sudo().pos_order_ids
        if not own_orders and not invoice_orders:
            raise UserError(
                self.env._(
                    "%(move)s holds a wallet top-up (%(products)s): top-ups are "
                    "sold at the Point of Sale, which credits the customer's "
                    "wallet. Remove the line, or sell the top-up at the till.",
                    move=self.display_name,
                    products=", ".join(lines.product_id.mapped("display_name")),
                )
            )
        self._loyalty_check_topup_account(lines)
        if own_orders:
            self._loyalty_check_topup_as_sold(own_orders)
        elif self.currency_id != self.reversed_entry_id.currency_id:
            raise UserError(
                self.env._(
                    "%(move)s credits wallet top-ups of %(invoice)s: it must be "
                    "in the invoice's currency, %(currency)s.",
                    move=self.display_name,
                    invoice=self.reversed_entry_id.display_name,
                    currency=self.reversed_entry_id.currency_id.name,
                )
            )

    def _loyalty_check_topup_as_sold(self, orders):
        """The top-ups of this invoice of ``orders`` (signed: sold less
        refunded) are what the orders sold less what they refunded."""
        amount = self._loyalty_signed_topup()
        expected = sum(order._loyalty_topup_amount() for order in orders)
        if self.currency_id.compare_amounts(amount, expected):
            raise UserError(
                self.env._(
                    "%(move)s invoices %(amount)s of wallet top-ups, but its "
                    "Point of Sale orders sold %(expected)s: the wallets "
                    "hold what the orders sold. Restore the top-up lines as "
                    "the orders have them.",
                    move=self.display_name,
                    amount=self._loyalty_format_amount(amount),
                    expected=self._loyalty_format_amount(expected),
                )
            )

    def _loyalty_check_topup_credit(self, batch):
        """A credit note of a POS invoice credits at most the top-ups that the
        invoice's other credit notes (posted, or posted in the same ``batch``)
        left (the ledger takes back no more, so the liability would be debited
        more than the wallets lose), and never sells a top-up."""
        self.ensure_one()
        invoice = self.reversed_entry_id
        if (
            self.move_type != "out_refund"
            or not self._loyalty_topup_lines()
            or self.sudo().pos_order_ids
        ):
            return
        # A credit note posted by another transaction at the same moment must
        # be seen: updating the invoice's row makes the later of two such
        # transactions fail with a serialization error and run again (Odoo
        # retries it), this time seeing the first credit note.
        self.env.execute_query(
            SQL(
                "UPDATE account_move SET write_date = write_date WHERE id = %s",
                invoice.id,
            )
        )
        credited = -self._loyalty_signed_topup()
        left = invoice._loyalty_topup_left_to_credit(self)
        for other in batch - self:
            if other.move_type == "out_refund" and other.reversed_entry_id == invoice:
                left += other._loyalty_signed_topup()
        if (
            self.currency_id.compare_amounts(credited, 0.0) < 0
            or self.currency_id.compare_amounts(credited, left) > 0
        ):
            raise UserError(
                self.env._(
                    "%(move)s credits %(amount)s of wallet top-ups, but only "
                    "%(left)s of the top-ups of %(invoice)s are left to credit "
                    "(the wallet gives back no more than it received).",
                    move=self.display_name,
                    amount=self._loyalty_format_amount(credited),
                    left=self._loyalty_format_amount(left),
                    invoice=invoice.display_name,
                )
            )

    def _loyalty_check_topup_account(self, lines):
        account = self.company_id.loyalty_wallet_account_id
        if account and lines.filtered(lambda line: line.account_id != account):
            raise UserError(
                self.env._(
                    "The wallet top-up lines of %(move)s must be booked on the "
                    "wallet liability account %(account)s, as the till books "
                    "them: the credit they bought is in the customers' wallets.",
                    move=self.display_name,
                    account=account.display_name,
                )
            )

    def _loyalty_topup_left_to_credit(self, note):
        """What of this invoice's top-ups the credit notes posted so far,
        other than ``note``, have not credited."""
        self.ensure_one()
        credited = sum(
            -other._loyalty_signed_topup()
            for other in self._loyalty_posted_credit_notes()
            if other != note
        )
        return max(self._loyalty_signed_topup() - credited, 0.0)

    def _loyalty_check_topup_reset(self):
        """An invoice of POS orders that sold top-ups (or of their refund)
        stays posted: resetting or cancelling it would take its lines off the
        wallet liability while the wallets keep what the till credited."""
        self.ensure_one()
        # sudo: as in _loyalty_check_topup_lines.
        if self.sudo().pos_order_ids and self._loyalty_topup_lines():
            raise UserError(
                self.env._(
                    "%(move)s invoices wallet top-ups sold at the Point of Sale: "
                    "the credit they bought is in the customer's wallet. Return "
                    "the top-up at the till (Refund on the order) instead of "
                    "resetting the invoice.",
                    move=self.display_name,
                )
            )

    def _loyalty_topup_lines(self):
        self.ensure_one()
        return self.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and line.product_id.product_tmpl_id.loyalty_topup
            )
        )

    def _loyalty_topup_amount(self):
        """What the lines of wallet top-ups of this invoice or credit note
        amount to (a POS top-up order's invoice), a positive amount."""
        self.ensure_one()
        return sum(self._loyalty_topup_lines().mapped("price_total"))

    def _loyalty_signed_topup(self):
        """The top-ups of this move as sold: positive when it sells them (an
        invoice), negative when it gives them back (a credit note), whatever
        the signs of its lines (a consolidated POS invoice with returns may be
        a credit note whose sale lines are negative)."""
        self.ensure_one()
        sign = -1 if self.move_type == "out_refund" else 1
        return sign * self._loyalty_topup_amount()

    def _loyalty_format_amount(self, amount):
        return format_amount(self.env, amount, self.currency_id)

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
