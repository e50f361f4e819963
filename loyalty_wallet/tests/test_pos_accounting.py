# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common_books import LoyaltyBooksCommon


@tagged("post_install", "-at_install")
class TestPosWalletAccounting(LoyaltyBooksCommon):
    """The wallet is a liability: what customers pay with it and the cashback
    they are granted are booked on the customer wallet account."""

    def balance(self, account):
        return self.account_balance(account)

    def close_session(self):
        """The cashier counts the cash and closes the till."""
        self.cashier_close_session()

    def test_loyalty_methods_collect_on_the_wallet_account(self):
        self.assertEqual(self.wallet_method.outstanding_account_id, self.wallet_account)
        self.assertEqual(self.points_method.outstanding_account_id, self.wallet_account)

    def test_closing_books_wallet_payment_and_cashback_on_the_liability(self):
        self.adjust(self.member, "wallet", 85000)
        self.pos_sale(
            self.member,
            500000,
            payments=[(self.wallet_method, 85000), (self.cash_method, 415000)],
        )
        self.close_session()
        # debit 85,000 (credit used up) and credit 41,500 (credit granted)
        self.assertAlmostEqual(self.balance(self.wallet_account), 85000 - 41500)
        self.assertAlmostEqual(self.balance(self.expense_account), 41500)

    def test_refund_in_the_same_session_nets_out(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.pos_sale(
            self.member,
            500000,
            payments=[(self.wallet_method, 85000), (self.cash_method, 415000)],
        )
        self.pos_refund(
            order,
            500000,
            payments=[(self.wallet_method, -85000), (self.cash_method, -415000)],
        )
        self.close_session()
        self.assertAlmostEqual(self.balance(self.wallet_account), 0)
        self.assertAlmostEqual(self.balance(self.expense_account), 0)

    def test_no_accounts_no_cashback_entry(self):
        # fixture: the accounting block, an accounting administrator's
        self.company.loyalty_cashback_expense_account_id = False
        self.pos_sale(self.member, 100000)
        self.close_session()
        self.assertAlmostEqual(self.balance(self.wallet_account), 0)

    def test_late_order_debt_is_a_receivable_until_credit_settles_it(self):
        """A till spent 8,000 of the member's wallet offline while another
        spent all 10,000 online: the debt the late order leaves is owed by the
        customer (debts receivable), not a negative liability, and goes back
        as the customer's next credit pays it."""
        self.adjust(self.member, "wallet", 10000)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loyalty_transaction SET create_date = create_date - "
            "INTERVAL '1 hour' WHERE partner_id = %s",
            [self.member.id],
        )
        offline = self.pos_order_data(
            self.member,
            20000,
            payments=[(self.wallet_method, 8000), (self.cash_method, 12000)],
        )
        offline["date_order"] = fields.Datetime.to_string(
            fields.Datetime.now() - timedelta(minutes=10)
        )
        self.cashier_sync(
            self.pos_order_data(
                self.member, 10000, payments=[(self.wallet_method, 10000)]
            )
        )
        order = self.cashier_sync(offline)
        self.assertEqual(order.loyalty_debt, 8000)
        # the order's own cashback (10 % of the 12,000 paid in cash) pays 1,200
        self.assertBalances(self.member, wallet=-6800)
        self.cashier_close_session()
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.debt_account), 6800)
        self.assertEqual(self.account_balance(self.wallet_account), 0)
        self.assertBooksMatch()

        # an invoice's cashback of 10,000 pays the rest: 3,200 is left to hold
        self.accountant_invoice(self.member, 100000)
        self.run_booking_job()
        self.assertBalances(self.member, wallet=3200)
        self.assertEqual(self.account_balance(self.debt_account), 0)
        self.assertEqual(self.account_balance(self.wallet_account), -3200)
        self.assertBooksMatch()

    def test_debts_open_when_the_debts_account_is_set_are_moved_to_it(self):
        """A late order left a debt while the company had no debts account
        (it stayed in the liability as a negative balance); the account is
        set, then an invoice's cashback settles the debt: the first booking
        moves the open debt to the account once, so the settlement leaves
        both the liability and the debts account right."""
        self.company.loyalty_debt_account_id = False
        self.adjust(self.member, "wallet", 10000)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loyalty_transaction SET create_date = create_date - "
            "INTERVAL '1 hour' WHERE partner_id = %s",
            [self.member.id],
        )
        offline = self.pos_order_data(
            self.member,
            20000,
            payments=[(self.wallet_method, 8000), (self.cash_method, 12000)],
        )
        offline["date_order"] = fields.Datetime.to_string(
            fields.Datetime.now() - timedelta(minutes=10)
        )
        self.cashier_sync(
            self.pos_order_data(
                self.member, 10000, payments=[(self.wallet_method, 10000)]
            )
        )
        self.cashier_sync(offline)
        self.assertBalances(self.member, wallet=-6800)
        self.cashier_close_session()
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.wallet_account), 6800)
        self.assertEqual(self.account_balance(self.debt_account), 0)

        self.company.loyalty_debt_account_id = self.debt_account
        # until the next booking the open debt awaits its opening
        figures = self.reconciliation()
        self.assertEqual(figures["unexplained"], 0.0, figures)
        self.assertEqual(figures["debt_unexplained"], 0.0, figures)

        self.accountant_invoice(self.member, 100000)
        self.run_booking_job()
        self.run_booking_job()
        self.assertBalances(self.member, wallet=3200)
        self.assertEqual(self.account_balance(self.debt_account), 0)
        self.assertEqual(self.account_balance(self.wallet_account), -3200)
        self.assertBooksMatch()
        self.assertEqual(
            self.env["loyalty.booking"].search_count(
                [("company_id", "=", self.company.id), ("debt_opening", "=", True)]
            ),
            1,
        )
