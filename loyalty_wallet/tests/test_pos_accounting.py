# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common_books import LoyaltyBooksCommon


@tagged("post_install", "-at_install")
class TestPosWalletAccounting(LoyaltyBooksCommon):
    """The wallet is a liability: what customers pay with it and the cashback
    they are granted are booked on the customer wallet account."""

    def balance(self, account):
        return self.account_balance(account)

    def close_session(self):
        self.pos_session.post_closing_cash_details(
            sum(
                self.pos_session.order_ids.payment_ids.filtered(
                    lambda p: p.payment_method_id.is_cash_count
                ).mapped("amount")
            )
        )
        result = self.pos_session.close_session_from_ui()
        self.assertTrue(result.get("successful"), result)
        self.assertEqual(self.pos_session.state, "closed")

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
        self.company.loyalty_cashback_expense_account_id = False
        self.pos_sale(self.member, 100000)
        self.close_session()
        self.assertAlmostEqual(self.balance(self.wallet_account), 0)
