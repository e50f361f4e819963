# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class LoyaltyBooksCommon(LoyaltyPosCommon):
    """The club's company with its loyalty accounts and journal set, a
    cashier (POS user, no loyalty group) and an accountant (billing user)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.wallet_account = Account.create(
            {
                "code": "LWT2100",
                "name": "Customer Wallet",
                "account_type": "liability_current",
            }
        )
        cls.expense_account = Account.create(
            {"code": "LWT6100", "name": "Cashback Expense", "account_type": "expense"}
        )
        cls.breakage_account = Account.create(
            {
                "code": "LWT7100",
                "name": "Expired Credit",
                "account_type": "income_other",
            }
        )
        cls.debt_account = Account.create(
            {
                "code": "LWT1300",
                "name": "Customer Loyalty Debts",
                "account_type": "asset_receivable",
            }
        )
        cls.loyalty_journal = cls.env["account.journal"].create(
            {"name": "Loyalty", "code": "LOYJ", "type": "general"}
        )
        cls.company.write(
            {
                "loyalty_wallet_account_id": cls.wallet_account.id,
                "loyalty_cashback_expense_account_id": cls.expense_account.id,
                "loyalty_expired_income_account_id": cls.breakage_account.id,
                "loyalty_debt_account_id": cls.debt_account.id,
                "loyalty_journal_id": cls.loyalty_journal.id,
            }
        )
        cls.cashier = new_test_user(
            cls.env,
            login="books_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
        )
        cls.accountant = new_test_user(
            cls.env,
            login="books_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
        )

    def account_balance(self, account):
        """Debit minus credit of ``account``'s posted items."""
        self.env.flush_all()
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return self.company.currency_id.round(sum(lines.mapped("balance")))

    def booked_rows(self):
        return self.env["loyalty.transaction"].search(
            [
                ("company_id", "=", self.company.id),
                ("kind", "in", list(self.company._loyalty_booked_kinds())),
            ]
        )

    def debts_owed(self):
        """The open debts of late orders (negative remainders), at the point
        value for points when the company books them."""
        value = self.company._loyalty_booking_value
        return self.company.currency_id.round(
            sum(
                value(row.kind, -row.remaining)
                for row in self.booked_rows()
                if row.remaining < 0
            )
        )

    def wallets_held(self):
        """Wallet credit held by the customers, plus their points at the
        point value when the company books points: the sum of their
        balances, a customer in debt counting zero (the debt is on the
        debts receivable)."""
        value = self.company._loyalty_booking_value
        net = sum(value(row.kind, row.amount) for row in self.booked_rows())
        return self.company.currency_id.round(net + self.debts_owed())

    def run_booking_job(self):
        """The daily job, as the cron runs it."""
        self.env["loyalty.booking"]._cron_loyalty_book()

    def reconciliation(self, date=None):
        return self.env["loyalty.reconciliation"]._loyalty_figures(
            self.company, date or fields.Date.context_today(self.env.user)
        )

    def cashier_sync(self, *orders_data):
        self.env["pos.order"].with_user(self.cashier).sync_from_ui(list(orders_data))
        uuids = [data["uuid"] for data in orders_data]
        return self.env["pos.order"].search([("uuid", "in", uuids)])

    def cashier_close_session(self):
        session = self.pos_session.with_user(self.cashier)
        session.post_closing_cash_details(
            sum(
                self.pos_session.order_ids.payment_ids.filtered(
                    lambda p: p.payment_method_id.is_cash_count
                ).mapped("amount")
            )
        )
        result = session.close_session_from_ui()
        self.assertTrue(result.get("successful"), result)
        self.assertEqual(self.pos_session.state, "closed")

    def accountant_invoice(self, partner, amount):
        move = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "name": "Basket",
                                "price_unit": amount,
                                "quantity": 1,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def accountant_draft_credit_note(self, invoice):
        """The accountant's draft credit note of ``invoice`` (Credit Note
        wizard)."""
        return self.draft_credit_note(invoice, self.accountant)

    def accountant_credit_note(self, invoice, quantity):
        """The accountant credits ``quantity`` of ``invoice``'s single line,
        posted; return the credit note."""
        note = self.accountant_draft_credit_note(invoice)
        note.invoice_line_ids.quantity = quantity
        note.action_post()
        return note

    def assertBooksMatch(self):
        """The wallet liability account holds exactly what customers hold,
        the debts receivable exactly what they owe, and the reconciliation
        sees no difference."""
        self.assertEqual(
            -self.account_balance(self.wallet_account), self.wallets_held()
        )
        self.assertEqual(self.account_balance(self.debt_account), self.debts_owed())
        figures = self.reconciliation()
        self.assertEqual(figures["difference"], 0.0, figures)
        self.assertEqual(figures["unexplained"], 0.0, figures)
        self.assertEqual(figures["debt_difference"], 0.0, figures)
        self.assertEqual(figures["debt_unexplained"], 0.0, figures)
        self.assertEqual(figures["ledger_debts"], self.debts_owed(), figures)
        self.assertEqual(figures["unbooked_count"], 0, figures)
