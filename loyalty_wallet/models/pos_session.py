# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL


class PosSession(models.Model):
    _inherit = "pos.session"

    def _create_account_move(
        self,
        balancing_account=False,
        amount_to_balance=0,
        bank_payment_method_diffs=None,
    ):
        data = super()._create_account_move(
            balancing_account=balancing_account,
            amount_to_balance=amount_to_balance,
            bank_payment_method_diffs=bank_payment_method_diffs,
        )
        self._loyalty_create_granted_lines(data)
        return data

    def _loyalty_create_granted_lines(self, data):
        """Book the session's loyalty movements on its journal entry and mark
        them booked (one ``loyalty.booking`` per session).

        The payments made with wallet or points already moved the till's
        receivable to the wallet liability account, and sale lines of products
        whose income account is the wallet (top-ups) credited it; what the
        movements of the session's orders changed in the wallets beyond that
        (cashback and points granted, less what refunds took back) is booked
        here: credit the wallet liability, debit the cashback expense (points
        paid with but not booked as a liability end up there too). Netting the session
        as a whole keeps it right however a return combines its give-back and
        its take-back in ledger rows. Nothing is booked (and the movements stay
        unbooked) while the wallet or expense account is not set.
        """
        company = self.company_id
        # The session books on the wallet and the expense only; the journal
        # and the breakage account are the daily job's.
        if not (
            company.loyalty_wallet_account_id
            and company.loyalty_cashback_expense_account_id
        ):
            return
        rows = self._loyalty_unbooked_rows()
        granted = company.currency_id.round(
            sum(
                company._loyalty_booking_value(row["kind"], row["amount"])
                for row in rows
            )
            + self._loyalty_paid_on_liability()
            + self._loyalty_sold_on_liability()
        )
        if not rows and company.currency_id.is_zero(granted):
            return
        Booking = self.env["loyalty.booking"]
        booking = Booking.sudo().create(
            {
                "name": self.name,
                "company_id": company.id,
                "date": self.move_id.date,
                "move_id": self.move_id.id,
                "session_id": self.id,
                "transaction_ids": [fields.Command.set([row["id"] for row in rows])],
            }
        )
        totals = defaultdict(float)
        totals[
            company.loyalty_cashback_expense_account_id,
            self.env._("Loyalty credit granted in %s", booking.name),
        ] = granted
        # Late orders of the session that left a debt, and credit of the
        # session that settled one: the debt is a receivable, not a negative
        # liability.
        Booking._loyalty_add_debt_totals(company, rows, totals)
        for key, amount in booking._loyalty_debt_opening_totals(company).items():
            totals[key] += amount
        lines = Booking._loyalty_line_pairs(company, totals)
        data["MoveLine"].create(
            [
                self._debit_amounts(
                    {**line, "move_id": self.move_id.id},
                    line["debit"],
                    line["debit"],
                    force_company_currency=True,
                )
                if line["debit"]
                else self._credit_amounts(
                    {**line, "move_id": self.move_id.id},
                    line["credit"],
                    line["credit"],
                    force_company_currency=True,
                )
                for line in lines
            ]
        )

    def _loyalty_unbooked_rows(self):
        """The booked kinds' movements of the session's orders that no
        booking holds yet, locked: dicts of id, kind, amount and the debt
        they opened or settled (``debt_opened`` >= 0, ``debt_settled`` <= 0).
        """
        self.ensure_one()
        self.env.flush_all()
        debt = self.env["loyalty.booking"]._loyalty_debt_change_sql("t")
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT t.id, t.kind, t.amount,
                       GREATEST(%(debt)s, 0) AS debt_opened,
                       LEAST(%(debt)s, 0) AS debt_settled
                  FROM loyalty_transaction t
                 WHERE t.source_model = 'pos.order'
                   AND t.source_id IN %(orders)s
                   AND t.company_id = %(company)s
                   AND t.kind IN %(kinds)s
                   AND NOT EXISTS (SELECT 1 FROM loyalty_booking_transaction_rel r
                                    WHERE r.transaction_id = t.id)
              ORDER BY t.id
                   FOR UPDATE OF t
                """,
                orders=tuple(self.order_ids.ids) or (0,),
                company=self.company_id.id,
                kinds=self.company_id._loyalty_booked_kinds(),
                debt=debt,
            )
        )

    def _loyalty_paid_on_liability(self):
        """What the session's payments with wallet or points booked on the
        wallet liability (signed: refunds paid back to the wallet are
        negative). Points not booked as a liability still reach it through
        their payment method: netted with the session's grants, they end up
        in the cashback expense."""
        self.ensure_one()
        payments = self.order_ids.payment_ids.filtered(
            lambda p: (
                p.payment_method_id.loyalty_payment
                and p.payment_method_id.outstanding_account_id
                == self.company_id.loyalty_wallet_account_id
            )
        )
        return sum(payments.mapped("amount"))

    def _loyalty_sold_on_liability(self):
        """Balance of what the session's sale lines already booked on the
        wallet liability before the loyalty lines (negative when credited:
        lines of products whose income account is the wallet, such as wallet
        top-ups), so that such credit is not booked a second time. The sale
        lines of an invoiced order are on its invoice (or credit note), not on
        the session's entry: those count too, for this session's orders only."""
        self.ensure_one()
        liability = self.company_id.loyalty_wallet_account_id
        # sudo: the cashier closing the session may not read journal items nor
        # invoices; only their balances on the wallet account are summed.
        session = self.sudo()
        lines = session.move_id.line_ids.filtered(
            lambda line: line.account_id == liability
        )
        return sum(lines.mapped("balance")) + session.order_ids._loyalty_invoiced_on(
            liability
        )
