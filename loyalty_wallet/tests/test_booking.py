# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_books import LoyaltyBooksCommon


@tagged("post_install", "-at_install")
class TestLedgerBooking(LoyaltyBooksCommon):
    """Every movement of the ledger reaches the books once: POS sessions at
    their closing, everything else by the daily job."""

    def job_lines(self, booking):
        return booking.move_id.line_ids.sorted(
            lambda line: (line.account_id.code, line.name)
        )

    def test_invoice_cashback_is_booked_by_the_daily_job_once(self):
        self.accountant_invoice(self.member, 200000)
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), -20000)
        self.assertEqual(self.account_balance(self.expense_account), 20000)
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), -20000)
        self.assertEqual(self.env["loyalty.booking"].search_count([]), 1)

    def test_one_entry_per_job_run_not_per_movement(self):
        self.accountant_invoice(self.member, 200000)
        self.accountant_invoice(self.member, 100000)
        self.run_booking_job()
        booking = self.env["loyalty.booking"].search([])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.transaction_count, 2)
        self.assertEqual(len(booking.move_id.line_ids), 2)
        self.assertEqual(booking.move_id.journal_id, self.loyalty_journal)
        self.assertEqual(booking.move_id.state, "posted")

    def test_adjustments_are_booked_with_their_reason(self):
        self.member.loyalty_adjust("wallet", 5000, "Apology for a late delivery")
        self.member.loyalty_adjust("wallet", -2000, "Entered twice")
        self.run_booking_job()
        lines = self.env["loyalty.booking"].search([]).move_id.line_ids
        self.assertEqual(
            set(lines.mapped("name")), {"Apology for a late delivery", "Entered twice"}
        )
        self.assertEqual(self.account_balance(self.wallet_account), -3000)
        self.assertEqual(self.account_balance(self.expense_account), 3000)

    def test_expired_credit_is_breakage_income(self):
        self.lot(self.member, "wallet", 7000, self.day(-1))
        self.env["loyalty.transaction"]._loyalty_expire_due_lots()
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), 0)
        self.assertEqual(self.account_balance(self.expense_account), 7000)
        self.assertEqual(self.account_balance(self.breakage_account), -7000)

    def test_points_are_not_booked_unless_the_company_books_them(self):
        self.member.loyalty_adjust("points", 30, "welcome")
        self.run_booking_job()
        self.assertFalse(self.env["loyalty.booking"].search([]))

    def test_booked_points_are_valued_at_the_point_value(self):
        self.company.loyalty_book_points = True
        self.member.loyalty_adjust("points", 30, "welcome")
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), -30000)

    def test_nothing_is_booked_without_the_accounts(self):
        self.company.loyalty_expired_income_account_id = False
        self.accountant_invoice(self.member, 200000)
        self.run_booking_job()
        self.assertFalse(self.env["loyalty.booking"].search([]))
        self.company.loyalty_expired_income_account_id = self.breakage_account
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), -20000)

    def test_session_rows_wait_for_the_closing_then_are_booked_by_it(self):
        self.member.loyalty_adjust("wallet", 85000, "opening")
        self.cashier_sync(
            self.pos_order_data(
                self.member,
                500000,
                payments=[(self.wallet_method, 85000), (self.cash_method, 415000)],
            )
        )
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), -85000)
        self.assertEqual(self.reconciliation()["unbooked_count"], 2)
        self.cashier_close_session()
        self.run_booking_job()
        # 85,000 granted, 85,000 spent (the payment), 41,500 cashback granted
        self.assertEqual(self.account_balance(self.wallet_account), -41500)
        self.assertEqual(self.account_balance(self.expense_account), 85000 + 41500)
        booking = self.env["loyalty.booking"].search([("session_id", "!=", False)])
        self.assertEqual(booking.move_id, self.pos_session.move_id)
        self.assertEqual(booking.transaction_count, 2)
        self.assertBooksMatch()

    def test_points_paid_with_but_not_booked_are_an_expense(self):
        self.member.loyalty_adjust("points", 30, "welcome")
        self.cashier_sync(
            self.pos_order_data(
                self.member, 20000, payments=[(self.points_method, 20000)]
            )
        )
        self.cashier_close_session()
        self.assertEqual(self.account_balance(self.wallet_account), 0)
        self.assertEqual(self.account_balance(self.expense_account), 20000)

    def test_a_movement_cannot_be_linked_to_two_bookings(self):
        self.accountant_invoice(self.member, 200000)
        self.run_booking_job()
        row = self.env["loyalty.transaction"].search([("operation", "=", "earn")])
        other = (
            self.env["loyalty.booking"]
            .sudo()
            .create(
                {"name": "again", "company_id": self.company.id, "date": self.day(0)}
            )
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "INSERT INTO loyalty_booking_transaction_rel "
                    "(booking_id, transaction_id) VALUES (%s, %s)",
                    [other.id, row.id],
                )


@tagged("post_install", "-at_install")
class TestBooksReconciliation(LoyaltyBooksCommon):
    def test_unbooked_movements_explain_the_difference(self):
        self.accountant_invoice(self.member, 200000)
        figures = self.reconciliation()
        self.assertEqual(figures["difference"], 20000)
        self.assertEqual(figures["unbooked_amount"], 20000)
        self.assertEqual(figures["unexplained"], 0)
        self.run_booking_job()
        self.assertBooksMatch()

    def test_a_cancelled_booking_entry_is_an_unexplained_difference(self):
        self.accountant_invoice(self.member, 200000)
        self.run_booking_job()
        move = self.env["loyalty.booking"].search([]).move_id
        move.button_draft()
        move.button_cancel()
        self.assertEqual(self.reconciliation()["unexplained"], 20000)

    def test_the_nightly_check_tells_the_managers(self):
        manager = self.env.user
        self.accountant_invoice(self.member, 200000)
        self.run_booking_job()
        Message = self.env["mail.message"]
        self.env["loyalty.reconciliation"]._cron_loyalty_check_books()
        self.assertFalse(
            Message.search([("subject", "=", "Loyalty books differ from the ledger")])
        )
        self.env["loyalty.booking"].search([]).move_id.button_draft()
        self.env["loyalty.reconciliation"]._cron_loyalty_check_books()
        message = Message.search(
            [("subject", "=", "Loyalty books differ from the ledger")]
        )
        self.assertIn(manager.partner_id, message.partner_ids)

    def test_the_report_opens_the_unbooked_movements(self):
        self.accountant_invoice(self.member, 200000)
        report = (
            self.env["loyalty.reconciliation"]
            .with_user(self.accountant)
            .create({"company_id": self.company.id})
        )
        self.assertEqual(report.unbooked_count, 1)
        action = report.action_open_unbooked()
        self.assertEqual(
            self.env["loyalty.transaction"].search(action["domain"]),
            self.env["loyalty.transaction"].search([("operation", "=", "earn")]),
        )


@tagged("post_install", "-at_install")
class TestLoyaltyAccountsProposal(LoyaltyBooksCommon):
    def test_missing_accounts_are_proposed_from_the_chart(self):
        self.company.write(
            {
                "loyalty_wallet_account_id": False,
                "loyalty_cashback_expense_account_id": False,
                "loyalty_expired_income_account_id": False,
                "loyalty_debt_account_id": False,
                "loyalty_journal_id": False,
            }
        )
        self.company._loyalty_propose_accounts()
        self.assertTrue(self.company._loyalty_accounting_ready())
        self.assertEqual(
            self.company.loyalty_wallet_account_id.account_type, "liability_current"
        )
        self.assertEqual(
            self.company.loyalty_debt_account_id.account_type, "asset_current"
        )
        self.assertEqual(self.company.loyalty_journal_id.type, "general")

    def test_the_trade_debtors_are_never_proposed_for_the_loyalty_debts(self):
        """UK and AU charts call the trade receivable "Trade Debtors" or
        "Debtors Control Account": the loyalty debts get an account of their
        own, a current asset (no partner on its lines, kept out of the aged
        receivable)."""
        Account = self.env["account.account"]
        trade = Account.create(
            {
                "code": "LWT1100",
                "name": "Trade Debtors",
                "account_type": "asset_receivable",
            }
        )
        control = Account.create(
            {
                "code": "LWT1110",
                "name": "Debtors Control Account",
                "account_type": "asset_current",
            }
        )
        self.debt_account.name = "Customers' Wallet Overdrafts"
        self.company.loyalty_debt_account_id = False
        self.company._loyalty_propose_accounts()
        debts = self.company.loyalty_debt_account_id
        self.assertTrue(debts)
        self.assertNotIn(debts, trade | control | self.debt_account)
        self.assertEqual(debts.account_type, "asset_current")
        self.assertIn("Loyalty", debts.name)


@tagged("post_install", "-at_install")
class TestSessionSalesOnTheWallet(LoyaltyBooksCommon):
    """A wallet top-up's sale line is booked on the wallet liability (the
    product's income account): the books credit the liability once, whether
    the till's session entry or the order's invoice holds that line, and a
    credit note of the invoice debits it once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topup = cls.create_product("Wallet top-up", cls.categ_basic, 1.0)
        cls.topup.product_tmpl_id.loyalty_topup = True

    def sell_topup(self, amount, invoiced=False):
        data = self.pos_order_data(
            self.member,
            amount,
            payments=[(self.cash_method, amount)],
            lines=[(self.topup, amount)],
        )
        data["to_invoice"] = invoiced
        return self.cashier_sync(data)

    def test_a_topup_sold_at_the_till_credits_the_liability_once(self):
        self.sell_topup(50000)
        self.assertBalances(self.member, wallet=50000)
        self.cashier_close_session()
        self.assertEqual(self.account_balance(self.wallet_account), -50000)
        self.assertBooksMatch()

    def test_an_invoiced_topup_credits_the_liability_once(self):
        order = self.sell_topup(50000, invoiced=True)
        self.assertTrue(order.account_move)
        self.cashier_close_session()
        self.assertEqual(self.account_balance(self.wallet_account), -50000)
        self.assertBooksMatch()

    def test_a_credit_note_of_an_invoiced_topup_debits_the_liability_once(self):
        order = self.sell_topup(100000, invoiced=True)
        self.cashier_close_session()
        note = self.accountant_credit_note(order.account_move, 40000)
        self.assertBalances(self.member, wallet=60000)
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), -60000)
        self.assertBooksMatch()
        # The cash was not paid back after all: the credit note is cancelled,
        # the credit returns, and so does the liability (once).
        note.button_cancel()
        self.assertBalances(self.member, wallet=100000)
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), -100000)
        self.assertBooksMatch()

    def test_an_invoiced_refund_of_a_topup_debits_the_liability_once(self):
        # The top-up was not invoiced, its refund is: the refund's credit note
        # holds the top-up line, the till takes the credit back.
        order = self.sell_topup(100000)
        refund = self.pos_refund(
            order, 40000, payments=[(self.cash_method, -40000)], to_invoice=True
        )
        self.assertEqual(refund.state, "done")
        self.assertTrue(refund.account_move)
        self.assertBalances(self.member, wallet=60000)
        self.cashier_close_session()
        self.assertEqual(self.account_balance(self.wallet_account), -60000)
        self.assertBooksMatch()

    def test_one_invoice_of_topups_of_two_sessions_counts_once_in_each(self):
        """Consolidated billing invoices a top-up of a closed session and one of
        the open session together: each session counts only its own order's
        share of the invoice's top-up lines."""
        first = self.sell_topup(30000)
        self.cashier_close_session()
        self.open_new_session()
        second = self.sell_topup(20000)
        shop_manager = new_test_user(
            self.env,
            login="books_shop_manager",
            groups="base.group_user,point_of_sale.group_pos_manager,"
            "account.group_account_invoice",
            company_id=self.company.id,
        )
        wizard = (
            self.env["pos.make.invoice"]
            .with_user(shop_manager)
            .with_context(active_ids=(first | second).ids, active_model="pos.order")
            .create({"consolidated_billing": True})
        )
        wizard.action_create_invoices()
        self.assertEqual(first.account_move, second.account_move)
        self.cashier_close_session()
        self.assertEqual(self.account_balance(self.wallet_account), -50000)
        self.assertBooksMatch()

    def test_credit_notes_credit_no_more_topup_than_the_invoice_sold(self):
        order = self.sell_topup(100000, invoiced=True)
        self.cashier_close_session()
        self.accountant_credit_note(order.account_move, 60000)
        with self.assertRaisesRegex(UserError, "only .* are left to credit"):
            self.accountant_credit_note(order.account_move, 60000)
        self.assertBalances(self.member, wallet=40000)
        self.run_booking_job()
        self.assertBooksMatch()

    def test_credit_notes_posted_together_count_against_each_other(self):
        order = self.sell_topup(100000, invoiced=True)
        self.cashier_close_session()
        notes = self.env["account.move"]
        for _note in range(2):
            note = self.accountant_draft_credit_note(order.account_move)
            note.invoice_line_ids.quantity = 60000
            notes |= note
        with self.assertRaisesRegex(UserError, "only .* are left to credit"):
            notes.action_post()
        self.assertEqual(set(notes.mapped("state")), {"draft"})
        self.assertBalances(self.member, wallet=100000)

    def test_a_topup_added_to_a_credit_note_of_goods_is_refused(self):
        data = self.pos_order_data(
            self.member, 50000, payments=[(self.cash_method, 50000)]
        )
        data["to_invoice"] = True
        goods = self.cashier_sync(data)
        self.cashier_close_session()
        note = self.accountant_draft_credit_note(goods.account_move)
        note.invoice_line_ids.product_id = self.topup
        with self.assertRaisesRegex(UserError, "only .* are left to credit"):
            note.action_post()

    def test_a_pos_invoice_of_a_topup_cannot_be_reset(self):
        """Resetting (or cancelling) it would take the top-up off the
        liability while the wallet keeps the credit the till gave."""
        order = self.sell_topup(50000, invoiced=True)
        self.cashier_close_session()
        invoice = order.account_move.with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "Return the top-up at the till"):
            invoice.button_draft()
        with self.assertRaisesRegex(UserError, "Return the top-up at the till"):
            invoice.button_cancel()
        self.assertEqual(invoice.state, "posted")

    def test_a_topup_credited_on_another_account_is_refused(self):
        order = self.sell_topup(50000, invoiced=True)
        self.cashier_close_session()
        other = self.env["account.account"].create(
            {"code": "LWT4199", "name": "Other income", "account_type": "income"}
        )
        note = self.accountant_draft_credit_note(order.account_move)
        note.invoice_line_ids.account_id = other
        with self.assertRaisesRegex(UserError, "must be booked on the wallet"):
            note.action_post()


@tagged("post_install", "-at_install")
class TestLoyaltyAccountsAreTheAccountants(LoyaltyBooksCommon):
    def test_loyalty_manager_cannot_redirect_the_books(self):
        manager = new_test_user(
            self.env,
            login="books_club_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
            company_id=self.company.id,
        )
        other = self.env["account.account"].create(
            {
                "code": "LWT2999",
                "name": "Elsewhere",
                "account_type": "liability_current",
            }
        )
        Settings = self.env["res.config.settings"].with_user(manager)
        Settings.create(
            {"loyalty_wallet_account_id": other.id, "loyalty_book_points": True}
        ).execute()
        self.assertEqual(self.company.loyalty_wallet_account_id, self.wallet_account)
        self.assertFalse(self.company.loyalty_book_points)
