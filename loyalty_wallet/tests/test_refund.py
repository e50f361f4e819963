# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPosRefund(LoyaltyPosCommon):
    """The cashier refunds at the till (``pos_refund`` syncs as the POS
    user)."""

    def test_full_refund_takes_back_the_cashback(self):
        self.adjust(self.member, "wallet", 35000)
        order = self.pos_sale(self.member, 500000)
        self.assertBalances(self.member, wallet=85000)
        refund = self.pos_refund(order, 500000)
        self.assertEqual(refund.refunded_order_id, order)
        self.assertBalances(self.member, wallet=35000)
        reversal = self.env["loyalty.transaction"].search(
            [("source_model", "=", "pos.order"), ("source_id", "=", refund.id)]
        )
        self.assertEqual((reversal.operation, reversal.amount), ("reverse", -50000))
        self.assertMovedBy(reversal, self.cashier)

    def test_partial_refunds_take_back_their_share_only_once(self):
        order = self.pos_sale(self.member, 500000)
        self.pos_refund(order, 100000)
        self.assertBalances(self.member, wallet=40000)
        self.pos_refund(order, 400000)
        self.assertBalances(self.member, wallet=0)

    def test_refund_of_spent_cashback_records_the_shortfall(self):
        order = self.pos_sale(self.member, 500000)
        # spent at another sale, by the cashier's till
        self.member.with_user(self.cashier)._loyalty_spend("wallet", 30000)
        self.pos_refund(order, 500000)
        self.assertBalances(self.member, wallet=0)
        reversal = self.env["loyalty.transaction"].search(
            [("operation", "=", "reverse"), ("partner_id", "=", self.member.id)]
        )
        self.assertEqual((reversal.amount, reversal.shortfall), (-20000, 30000))

    def test_refund_gives_back_what_the_wallet_paid(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.pos_sale(
            self.member,
            500000,
            payments=[(self.wallet_method, 85000), (self.cash_method, 415000)],
        )
        # cashback on the 415,000 paid in cash only
        self.assertEqual(self.earned(order), 41500)
        self.assertBalances(self.member, wallet=41500)
        self.pos_refund(
            order,
            500000,
            payments=[(self.wallet_method, -85000), (self.cash_method, -415000)],
        )
        self.assertBalances(self.member, wallet=85000)

    def test_refund_cannot_credit_more_than_the_wallet_paid(self):
        self.adjust(self.member, "wallet", 1000)
        order = self.pos_sale(
            self.member,
            2000,
            payments=[(self.wallet_method, 1000), (self.cash_method, 1000)],
        )
        with self.assertRaisesRegex(UserError, "must give .*1,000.00 back"):
            self.pos_refund(order, 2000, payments=[(self.wallet_method, -2000)])
