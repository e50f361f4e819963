# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPosRefundData(LoyaltyPosCommon):
    """What the till gets from the server to propose a refund's wallet and
    points lines (it never recomputes them, so they must reach the cashier),
    and what it sends back for a refund."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_role_users()

    def cashier_sync(self, data):
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def till_refund_data(self, order, quantity, payments):
        """A refund of ``quantity`` units of ``order``'s line as the till's
        ticket screen sends it: an ``is_refund`` order, whose line amounts
        core signs by the order (a returned line is positive)."""
        line = order.lines[:1]
        data = self.create_ui_order_data(
            [
                {
                    "product": line.product_id,
                    "quantity": -quantity,
                    "refunded_orderline_id": line.id,
                }
            ],
            customer=self.member,
            payments=payments,
        )
        data["is_refund"] = True
        for _command, _id, values in data["lines"]:
            values["price_subtotal"] = -values["price_subtotal"]
            values["price_subtotal_incl"] = -values["price_subtotal_incl"]
        return data

    def ticket_screen_data(self, order):
        """The order and its line as the ticket screen loads them for a refund."""
        result = (
            self.env["pos.order"]
            .with_user(self.cashier)
            .read_pos_orders([("id", "=", order.id)])
        )
        [values] = result["pos.order"]
        [line_values] = result["pos.order.line"]
        return values, line_values

    def test_ticket_screen_order_carries_what_is_still_refundable(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.cashier_sync(
            self.pos_order_data(
                self.member,
                500000,
                payments=[(self.wallet_method, 85000), (self.cash_method, 415000)],
            )
        )
        values, line_values = self.ticket_screen_data(order)
        self.assertEqual(values["loyalty_refundable_wallet"], 85000)
        self.assertEqual(values["loyalty_refundable_points"], 0)
        # each unit (1.00) of the line was paid 0.17 from the wallet
        self.assertAlmostEqual(line_values["loyalty_wallet_unit_share"], 0.17)
        self.assertEqual(line_values["loyalty_points_unit_share"], 0)
        # a first return of 100,000 units gives their 17,000 back
        self.cashier_sync(
            self.till_refund_data(
                order,
                100000,
                [(self.wallet_method, -17000), (self.cash_method, -83000)],
            )
        )
        self.env.invalidate_all()  # the till asks in a new request
        values, _line_values = self.ticket_screen_data(order)
        self.assertEqual(values["loyalty_refundable_wallet"], 68000)

    def test_till_loads_the_refund_to_the_wallet_only_setting(self):
        session = self.pos_session.with_user(self.cashier)
        [company] = session.load_data(["res.company"])["res.company"]
        self.assertIs(company["loyalty_refund_to_wallet_only"], True)
        self.company.loyalty_refund_to_wallet_only = False
        [company] = session.load_data(["res.company"])["res.company"]
        self.assertIs(company["loyalty_refund_to_wallet_only"], False)

    def test_till_refund_takes_back_its_share_of_the_cashback(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.cashier_sync(
            self.pos_order_data(
                self.member,
                500000,
                payments=[(self.wallet_method, 85000), (self.cash_method, 415000)],
            )
        )
        self.assertBalances(self.member, wallet=41500)
        refund = self.cashier_sync(
            self.till_refund_data(
                order,
                100000,
                [(self.wallet_method, -17000), (self.cash_method, -83000)],
            )
        )
        self.assertTrue(refund.is_refund)
        self.assertEqual(refund.lines.price_subtotal_incl, 100000)
        # 17,000 given back to the wallet, a fifth of the 41,500 taken back
        self.assertEqual(refund.loyalty_spent_wallet, -17000)
        self.assertEqual(refund.loyalty_earned_wallet, -8300)
        self.assertBalances(self.member, wallet=41500 + 17000 - 8300)
