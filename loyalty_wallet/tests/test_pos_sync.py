# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPosSync(LoyaltyPosCommon):
    """What the cashier's till sends with ``sync_from_ui``, and what it gets
    back."""

    def cashier_sync_from_ui(self, data):
        data = {**data, "user_id": self.cashier.id}
        return self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])

    def wallet_sale_data(self, uuid=None):
        return self.pos_order_data(
            self.member,
            500000,
            payments=[(self.wallet_method, 85000), (self.cash_method, 415000)],
            uuid=uuid,
        )

    def movements(self, order):
        return self.env["loyalty.transaction"].search(
            [("source_model", "=", "pos.order"), ("source_id", "=", order.id)]
        )

    def test_same_payload_synced_twice_earns_and_spends_once(self):
        self.adjust(self.member, "wallet", 85000)
        data = self.wallet_sale_data()
        order = self.sync_orders(data)
        again = self.sync_orders(dict(data))
        self.assertEqual(again, order)
        self.assertEqual(
            self.env["pos.order"].search_count([("uuid", "=", data["uuid"])]), 1
        )
        self.assertEqual(
            sorted(self.movements(order).mapped("amount")), [-85000, 41500]
        )
        self.assertMovedBy(self.movements(order), self.cashier)
        self.assertBalances(self.member, wallet=41500)

    def test_order_synced_after_its_session_closed_is_processed_once(self):
        """An order paid offline reaches the server after the session was
        closed: it goes to the till's open session and earns and spends once."""
        self.adjust(self.member, "wallet", 85000)
        data = self.wallet_sale_data()
        session = self.pos_session.with_user(self.cashier)
        session.post_closing_cash_details(0)
        session.close_session_from_ui()
        closed_session = self.pos_session
        self.assertEqual(closed_session.state, "closed")
        self.open_new_session()
        order = self.sync_orders(data)
        self.sync_orders(dict(data))
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.session_id, self.pos_session)
        self.assertNotEqual(order.session_id, closed_session)
        self.assertEqual(
            sorted(self.movements(order).mapped("amount")), [-85000, 41500]
        )
        self.assertBalances(self.member, wallet=41500)

    def test_refused_sync_writes_nothing(self):
        """Another till spent the credit meanwhile: the server refuses the
        whole order with the ledger's message, and nothing stays behind."""
        self.adjust(self.member, "wallet", 50000)
        data = self.wallet_sale_data()
        with self.assertRaisesRegex(UserError, "has only"):
            with self.env.cr.savepoint():
                self.cashier_sync_from_ui(data)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", data["uuid"])]))
        rows = self.env["loyalty.transaction"].search(
            [("partner_id", "=", self.member.id)]
        )
        self.assertEqual(rows.mapped("operation"), ["adjust"])
        self.assertBalances(self.member, wallet=50000)

    def test_synced_order_carries_its_receipt_figures(self):
        self.adjust(self.member, "wallet", 85000)
        result = self.cashier_sync_from_ui(self.wallet_sale_data())
        [order_data] = result["pos.order"]
        self.assertTrue(order_data["loyalty_has_movements"])
        self.assertEqual(order_data["loyalty_spent_wallet"], 85000)
        self.assertEqual(order_data["loyalty_earned_wallet"], 41500)
        self.assertEqual(order_data["loyalty_wallet_balance_after"], 41500)
        # the till's copy of the customer gets the new balance from the server
        [partner_data] = result["res.partner"]
        self.assertEqual(partner_data["id"], self.member.id)
        self.assertEqual(partner_data["loyalty_wallet_balance"], 41500)

    def test_receipt_balance_is_the_one_right_after_the_order(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sync_orders(self.wallet_sale_data())
        self.pos_sale(self.member, 100000)  # a later order earns 10,000 more
        order.invalidate_recordset()
        self.assertEqual(order.loyalty_wallet_balance_after, 41500)
        self.assertBalances(self.member, wallet=51500)

    def test_points_payment_converts_at_the_point_value(self):
        self.company.loyalty_points_active = True
        self.adjust(self.member, "points", 10)
        order = self.pos_sale(
            self.member,
            20000,
            payments=[(self.points_method, 3000), (self.cash_method, 17000)],
        )
        self.assertEqual(order.loyalty_spent_points, 3)
        # 17,000 paid in cash earns no point (1 per 20,000) and 1,700 cashback
        self.assertEqual(order.loyalty_earned_points, 0)
        self.assertEqual(order.loyalty_earned_wallet, 1700)
        self.assertBalances(self.member, wallet=1700, points=7)
        self.assertEqual(order.loyalty_points_balance_after, 7)

    def test_pos_refund_restores_the_wallet_part_and_takes_back_the_earning(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sync_orders(self.wallet_sale_data())
        refund = self.pos_refund(
            order,
            500000,
            payments=[(self.wallet_method, -85000), (self.cash_method, -415000)],
        )
        self.assertEqual(refund.loyalty_spent_wallet, -85000)
        self.assertEqual(refund.loyalty_earned_wallet, -41500)
        self.assertEqual(refund.loyalty_wallet_balance_after, 85000)
        self.assertBalances(self.member, wallet=85000)

    def test_fresh_balances_for_the_till(self):
        self.adjust(self.member, "wallet", 1234)
        balances = self.member.with_user(self.cashier).loyalty_pos_balances(
            self.config.id
        )
        self.assertEqual(
            balances,
            {
                "member": True,
                "wallet": 1234,
                "points": 0,
                # nothing waits out a return window (see test_pending)
                "wallet_pending": 0,
                "wallet_pending_date": False,
                "points_pending": 0,
                "points_pending_date": False,
            },
        )

    def test_fresh_balances_need_access_to_the_till(self):
        outsider = self.env["res.users"].create(
            {"name": "Outsider", "login": "lw_pos_outsider", "group_ids": []}
        )
        with self.assertRaises(AccessError):
            self.member.with_user(outsider).loyalty_pos_balances(self.config.id)
