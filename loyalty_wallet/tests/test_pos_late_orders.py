# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPosLateOrders(LoyaltyPosCommon):
    """A till goes offline, takes a wallet payment, and syncs after the wallet
    was spent elsewhere: the order is a fact and lands, with a debt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "Cashier",
                "login": "lw_late_cashier",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("point_of_sale.group_pos_user").id,
                        ]
                    )
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self.adjust(self.member, "wallet", 100)
        self.held_since(self.member, hours=1)

    def held_since(self, partner, hours):
        """The member's movements so far were posted ``hours`` ago (a test runs
        in one transaction: every row would otherwise be created "now")."""
        self.env["loyalty.transaction"].flush_model()
        self.env.cr.execute(
            "UPDATE loyalty_transaction SET create_date = create_date - %s "
            "WHERE partner_id = %s",
            [timedelta(hours=hours), partner.id],
        )

    def offline_order(self, wallet, total=200, minutes_ago=10):
        data = self.pos_order_data(
            self.member,
            total,
            payments=[(self.wallet_method, wallet), (self.cash_method, total - wallet)],
        )
        taken_at = fields.Datetime.now() - timedelta(minutes=minutes_ago)
        data["date_order"] = fields.Datetime.to_string(taken_at)
        data["user_id"] = self.cashier.id
        return data

    def sync_as_cashier(self, data):
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def test_offline_order_after_wallet_spent_elsewhere_lands_with_a_debt(self):
        data = self.offline_order(wallet=80)
        self.member._loyalty_spend("wallet", 100)  # another till, online
        order = self.sync_as_cashier(data)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.loyalty_debt, 80)
        # The order's own cashback (10 % of the 120 paid in cash) pays 12 of it.
        self.assertBalances(self.member, wallet=-68)
        self.assertEqual(order.loyalty_wallet_balance_after, -68)
        action = self.env.ref("loyalty_wallet.action_loyalty_late_order_debts")
        listed = self.env["pos.order"].search(safe_eval(action.domain))
        self.assertEqual(listed, order)
        self.assertEqual(order.user_id, self.cashier)
        # The next purchase's cashback settles the debt first.
        self.pos_sale(self.member, 1000)
        self.assertBalances(self.member, wallet=32)
        spending = self.env["loyalty.transaction"].search(
            [
                ("source_model", "=", "pos.order"),
                ("source_id", "=", order.id),
                ("operation", "=", "spend"),
            ]
        )
        self.assertEqual(spending.remaining, 0)

    def test_late_order_still_on_the_tills_screen_lands_with_a_debt(self):
        """The till syncs while the offline order's receipt is still shown:
        core then dates the order at the server's clock (current_order_uuid),
        yet it was taken offline and lands."""
        data = self.offline_order(wallet=80)
        self.member._loyalty_spend("wallet", 100)
        self.env["pos.order"].with_user(self.cashier).with_context(
            current_order_uuid=data["uuid"]
        ).sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.loyalty_debt, 80)
        self.assertBalances(self.member, wallet=-68)

    def test_late_order_synced_three_times_lands_once(self):
        data = self.offline_order(wallet=80)
        self.member._loyalty_spend("wallet", 100)
        order = self.sync_as_cashier(data)
        self.sync_as_cashier(dict(data))
        self.sync_as_cashier(dict(data))
        self.assertEqual(
            self.env["pos.order"].search_count([("uuid", "=", data["uuid"])]), 1
        )
        spent = self.env["loyalty.transaction"].search(
            [
                ("source_model", "=", "pos.order"),
                ("source_id", "=", order.id),
                ("operation", "=", "spend"),
            ]
        )
        self.assertEqual(spent.mapped("amount"), [-80])
        self.assertBalances(self.member, wallet=-68)

    def test_online_order_not_covered_is_refused(self):
        self.member._loyalty_spend("wallet", 100)
        data = self.offline_order(wallet=80, minutes_ago=0)
        with self.assertRaisesRegex(UserError, "has only"):
            self.sync_as_cashier(data)
        self.assertBalances(self.member, wallet=0)

    def test_backdated_order_beyond_what_the_customer_held_is_refused(self):
        """A cashier who backdates an order can't spend more than the customer
        held at that moment: it is an online order, refused when short."""
        data = self.offline_order(wallet=150)
        with self.assertRaisesRegex(UserError, "has only"):
            self.sync_as_cashier(data)
        self.assertBalances(self.member, wallet=100)

    def test_expiry_inside_a_sale_does_not_hide_its_spending(self):
        """A sale that expires a due lot before it spends: a late order taken
        after that sale sees what the sale left, not what the expiry left."""
        self.lot(self.member, "wallet", 30, self.day(-1))
        # The online sale happens a little later than its transaction began.
        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.member._loyalty_spend("wallet", 50)  # another till, online
        self.assertBalances(self.member, wallet=50)
        self.held_since(self.member, hours=1)
        data = self.offline_order(wallet=80)  # taken after that sale
        with self.assertRaisesRegex(UserError, "has only"):
            self.sync_as_cashier(data)
        self.assertBalances(self.member, wallet=50)

    def test_one_till_cannot_spend_the_same_credit_twice_late(self):
        first = self.offline_order(wallet=80)
        second = self.offline_order(wallet=80)
        self.sync_as_cashier(first)
        with self.assertRaisesRegex(UserError, "has only"):
            self.sync_as_cashier(second)

    def test_late_order_covered_by_the_balance_leaves_no_debt(self):
        order = self.sync_as_cashier(self.offline_order(wallet=80))
        self.assertEqual(order.loyalty_debt, 0)
        self.assertBalances(self.member, wallet=32)
