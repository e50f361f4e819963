# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

BOOKING_REL = "loyalty_booking_transaction_rel"


class LoyaltyBooking(models.Model):
    """One journal entry's worth of ledger movements: the entry of a closed
    POS session, or of one run of the daily booking job.

    A movement belongs to at most one booking (unique index on the link
    table), so it can never be booked twice, whoever books it and however
    often the job runs; a movement without a booking is "not yet booked" and
    the next run of the job (or its session's closing) picks it up.
    """

    _name = "loyalty.booking"
    _description = "Loyalty Ledger Booking"
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="restrict"
    )
    date = fields.Date(
        required=True, readonly=True, help="Accounting date of the booking's entry."
    )
    move_id = fields.Many2one(
        "account.move",
        string="Journal Entry",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Empty when the movements needed no entry of their own (spending "
        "paid at the POS is booked by the payment).",
    )
    session_id = fields.Many2one(
        "pos.session", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    transaction_ids = fields.Many2many(
        "loyalty.transaction",
        BOOKING_REL,
        "booking_id",
        "transaction_id",
        string="Movements",
        readonly=True,
    )
    debt_opening = fields.Boolean(
        string="Debts Opening",
        readonly=True,
        help="This booking moved to the debts account the debts that were "
        "left open while the account was not set (once per company).",
    )
    transaction_count = fields.Integer(
        string="Movements Count", compute="_compute_transaction_count"
    )

    def init(self):
        res = super().init()
        # The ORM creates the link table when it first meets the field; the
        # unique index is what makes booking a movement twice impossible.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (transaction_id)",
                SQL.identifier(f"{BOOKING_REL}_transaction_uniq"),
                SQL.identifier(BOOKING_REL),
            )
        )
        # One debts opening per company: booking it twice would move the
        # same debts to the receivable twice.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS loyalty_booking_debt_opening_uniq"
                " ON loyalty_booking (company_id) WHERE debt_opening"
            )
        )
        return res

    def _compute_transaction_count(self):
        self.env.flush_all()
        counts = dict(
            self.env.execute_query(
                SQL(
                    "SELECT booking_id, COUNT(*) FROM %s WHERE booking_id IN %s "
                    "GROUP BY booking_id",
                    SQL.identifier(BOOKING_REL),
                    tuple(self.ids) or (0,),
                )
            )
        )
        for booking in self:
            booking.transaction_count = counts.get(booking.id, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_transactions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "loyalty.transaction",
            "view_mode": "list,form",
            "domain": [("booking_ids", "in", self.ids)],
        }

    # ------------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------------

    @api.model
    def _cron_loyalty_book(self):
        """Daily: book every movement not booked yet, one entry per company."""
        companies = self.env["res.company"].search(
            [("loyalty_wallet_account_id", "!=", False)]
        )
        for company in companies:
            if company._loyalty_accounting_ready():
                self.with_company(company)._loyalty_book_company(company)

    @api.model
    def _loyalty_book_company(self, company, date=None):
        """Book, in one entry dated ``date`` (today), every movement of
        ``company`` not booked yet: all of them but those of POS orders whose
        session is still open (the session's closing books them).

        Runs in one transaction: the movements are locked and linked to the
        booking, the entry is created and posted; rows a concurrent run holds
        are skipped (the other run books them). Running it again books nothing.

        :return: the booking, or an empty recordset when there was nothing.
        """
        date = date or fields.Date.context_today(self)
        # sudo: the job's user, or an accountant running it, books what the
        # ledger recorded; bookings are never created from a form.
        booking = self.sudo().create(
            {
                "name": self.env._("Loyalty ledger %s", fields.Date.to_string(date)),
                "company_id": company.id,
                "date": date,
            }
        )
        groups = self.env.execute_query_dict(
            booking._loyalty_link_unbooked_sql(company)
        )
        other_lines = booking._loyalty_book_other(company, date)
        opening = booking._loyalty_debt_opening_totals(company)
        if not groups and other_lines is None and not opening:
            booking.unlink()
            return self.browse()
        lines = booking._loyalty_move_lines(company, groups) if groups else []
        lines += self._loyalty_line_pairs(company, opening)
        lines += other_lines or []
        if lines:
            booking.move_id = self._loyalty_create_move(company, date, booking, lines)
        self.env["loyalty.transaction"].invalidate_model(["booking_ids"])
        booking.invalidate_recordset(["transaction_ids"])
        return booking

    def _loyalty_book_other(self, company, date):
        """Hook: link to this booking what else the job books (besides the
        ledger's movements) and return its journal items, balanced; None
        when there was nothing. ``loyalty_coupon`` books the coupons
        redeemed and expired here."""
        self.ensure_one()
        return None

    def _loyalty_link_unbooked_sql(self, company):
        """Lock the company's unbooked movements, link them to this booking and
        return them summed by what decides their accounts: kind, operation (for
        a reversal: the operation reversed), whether a POS payment booked them,
        whether their document's own lines did (``by_document``: a top-up
        taken back or restored by a credit note, whose top-up line is on the
        wallet account), and the reason of manual adjustments (their label)."""
        self.ensure_one()
        self.env.flush_all()
        return SQL(
            """
            WITH todo AS (
                SELECT t.id, t.kind, t.amount, t.operation, t.description,
                       %(debt)s AS debt,
                       t.source_model = 'pos.order' AS from_pos,
                       COALESCE(CASE WHEN t.operation = 'reverse'
                                     THEN o.operation END, t.operation) AS base_op,
                       (t.source_model = 'account.move'
                        AND 'topup' IN (t.operation, o.operation, oo.operation)
                       ) AS by_document
                  FROM loyalty_transaction t
             LEFT JOIN loyalty_transaction o ON o.id = t.origin_id
             LEFT JOIN loyalty_transaction oo ON oo.id = o.origin_id
             LEFT JOIN pos_order po
                    ON t.source_model = 'pos.order' AND po.id = t.source_id
             LEFT JOIN pos_session ps ON ps.id = po.session_id
                 WHERE t.company_id = %(company)s AND t.kind IN %(kinds)s
                   AND NOT EXISTS (SELECT 1 FROM %(rel)s r
                                    WHERE r.transaction_id = t.id)
                   AND (t.source_model IS DISTINCT FROM 'pos.order'
                        OR ps.state = 'closed')
                   FOR UPDATE OF t SKIP LOCKED
            ), linked AS (
                INSERT INTO %(rel)s (booking_id, transaction_id)
                SELECT %(booking)s, id FROM todo
             RETURNING transaction_id
            )
            SELECT todo.kind, todo.base_op,
                   COALESCE(todo.from_pos, FALSE) AS from_pos,
                   COALESCE(todo.by_document, FALSE) AS by_document,
                   CASE WHEN todo.operation = 'adjust'
                        THEN todo.description END AS label,
                   SUM(todo.amount) AS amount,
                   SUM(GREATEST(todo.debt, 0)) AS debt_opened,
                   SUM(LEAST(todo.debt, 0)) AS debt_settled
              FROM todo JOIN linked ON linked.transaction_id = todo.id
          GROUP BY 1, 2, 3, 4, 5
          ORDER BY 1, 2, 3, 4, 5
            """,
            company=company.id,
            kinds=company._loyalty_booked_kinds(),
            rel=SQL.identifier(BOOKING_REL),
            booking=self.id,
            debt=self._loyalty_debt_change_sql("t"),
        )

    @api.model
    def _loyalty_debt_change_sql(self, alias):
        """What the movement ``alias`` changed in its customer's open debt
        (positive: a late order left one, negative: new credit settled it).

        A balance below zero is exactly the customer's open debt (see
        ``_loyalty_check_balances``), so the change is read from the balance
        before and after the movement, both stored on the row: the debts of
        late orders are booked from immutable figures, however their
        ``remaining`` is paid off later."""
        row = SQL.identifier(alias)
        return SQL(
            "(GREATEST(-%(row)s.balance_after, 0)"
            " - GREATEST(%(row)s.amount - %(row)s.balance_after, 0))",
            row=row,
        )

    @api.model
    def _loyalty_move_lines(self, company, groups):
        """Journal items for ``groups`` (dicts of kind, base_op, from_pos,
        by_document, label, amount): for each account and label, the wallet
        liability is credited with what customers gained and the counterpart
        debited (or the reverse for what they lost). Spending at the POS was
        booked by its payment, and a credit note's top-up by its own line:
        no line."""
        totals = defaultdict(float)
        self._loyalty_add_debt_totals(company, groups, totals)
        for group in groups:
            booked_elsewhere = group.get("by_document") or (
                group["from_pos"] and group["base_op"] == "spend"
            )
            if booked_elsewhere:
                continue
            account = company._loyalty_booking_counterpart(group["base_op"])
            if not account:
                continue
            label = group["label"] or self._loyalty_line_label(
                group["kind"], group["base_op"]
            )
            totals[account, label] += company._loyalty_booking_value(
                group["kind"], group["amount"]
            )
        return self._loyalty_line_pairs(company, totals)

    @api.model
    def _loyalty_add_debt_totals(self, company, groups, totals):
        """Add to ``totals`` the debts of late orders that ``groups`` (dicts
        with kind, debt_opened, debt_settled) opened and settled: a debt is
        what the customer owes, so it moves from the wallet liability to the
        debts receivable (debit receivable, credit liability), and back as
        the customer's next credit pays it. Without the debts account, debts
        stay in the liability as negative balances (nothing to add)."""
        account = company.loyalty_debt_account_id
        if not account:
            return totals
        kinds = dict(
            self.env["loyalty.transaction"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        value = company._loyalty_booking_value
        for group in groups:
            kind = group["kind"]
            opened = float(group.get("debt_opened") or 0.0)
            settled = float(group.get("debt_settled") or 0.0)
            if opened:
                label = self.env._("Loyalty %s: debts of late orders", kinds[kind])
                totals[account, label] += value(kind, opened)
            if settled:
                label = self.env._("Loyalty %s: debts settled", kinds[kind])
                totals[account, label] += value(kind, settled)
        return totals

    def _loyalty_debt_opening_totals(self, company):
        """The debts left open while the debts account was empty, to move to
        it once: the first booking after the account is set (this one, its
        own movements linked already) marks itself the company's debts
        opening and returns ``{(debts account, label): amount}`` for the
        debt changes of every movement booked before (they stayed in the
        liability as negative balances). Their settlement later is booked
        back from the account like any other, so the account never goes
        below the open debts. Empty when already done or no account.
        """
        self.ensure_one()
        totals = defaultdict(float)
        account = company.loyalty_debt_account_id
        if not account or self.search_count(
            [("company_id", "=", company.id), ("debt_opening", "=", True)], limit=1
        ):
            return totals
        # the unique index refuses a second opening of a concurrent booking
        self.debt_opening = True
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT t.kind, SUM(%(debt)s)
                  FROM loyalty_transaction t
                  JOIN %(rel)s r ON r.transaction_id = t.id
                 WHERE t.company_id = %(company)s AND t.kind IN %(kinds)s
                   AND r.booking_id != %(booking)s
              GROUP BY t.kind
                """,
                debt=self._loyalty_debt_change_sql("t"),
                rel=SQL.identifier(BOOKING_REL),
                company=company.id,
                kinds=company._loyalty_booked_kinds(),
                booking=self.id,
            )
        )
        label = self.env._("Loyalty debts open when the debts account was set")
        for kind, amount in rows:
            if amount:
                totals[account, label] += company._loyalty_booking_value(
                    kind, float(amount)
                )
        return totals

    @api.model
    def _loyalty_line_pairs(self, company, totals):
        """``{(counterpart, label): amount credited to customers}`` as
        balanced pairs of line values."""
        currency = company.currency_id
        lines = []
        liability = company.loyalty_wallet_account_id
        for (account, label), amount in totals.items():
            amount = currency.round(amount)
            if currency.is_zero(amount):
                continue
            for line_account, balance in ((account, amount), (liability, -amount)):
                lines.append(
                    {
                        "name": label,
                        "account_id": line_account.id,
                        "debit": max(balance, 0.0),
                        "credit": max(-balance, 0.0),
                    }
                )
        return lines

    @api.model
    def _loyalty_line_label(self, kind, operation):
        kinds = dict(
            self.env["loyalty.transaction"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        return self.env._(
            "Loyalty %(kind)s: %(operation)s",
            kind=kinds[kind],
            operation=self.env["loyalty.transaction"]._loyalty_operation_label(
                operation
            ),
        )

    @api.model
    def _loyalty_create_move(self, company, date, booking, lines):
        # sudo: the entry is the ledger's bookkeeping, whoever triggered it
        # (a cashier closing a till may not create journal entries).
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company.loyalty_journal_id.id,
                    "date": date,
                    "ref": booking.name,
                    "line_ids": [fields.Command.create(line) for line in lines],
                }
            )
        )
        move.action_post()
        return move
