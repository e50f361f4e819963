# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user, tagged

from .common import LoyaltyTierCommon


@tagged("post_install", "-at_install")
class TestTierReports(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bronze = cls.create_tier("Bronze", 10, min_order_amount=100.0)
        cls.silver = cls.create_tier("Silver", 20, min_order_amount=200.0)
        cls.other = cls.env["res.partner"].create({"name": "Giulia Rossi"})
        cls.other._loyalty_enroll()

    def test_purchases_are_reported_by_the_tier_at_the_time_of_sale(self):
        self.pos_sale(self.member, 150.0)  # Bronze
        self.pos_sale(self.member, 250.0)  # Silver
        refund = self.pos_refund(self.pos_sale(self.member, 50.0), 50.0)  # Silver
        self.invoice(self.other, 120.0)  # Bronze
        self.assertEqual(refund.loyalty_tier_id, self.silver)
        self.env.flush_all()
        Report = self.env["loyalty.tier.sales.report"].with_user(self.loyalty_user)
        groups = {
            tier: (amount, count, average)
            for tier, amount, count, average in Report._read_group(
                [("partner_id", "in", (self.member | self.other).ids)],
                ["tier_id"],
                ["amount:sum", "order_count:sum", "average_basket:avg"],
            )
        }
        self.assertEqual(groups[self.bronze], (270.0, 2, 135.0))
        self.assertEqual(groups[self.silver], (250.0, 2, 150.0))

    def test_members_per_tier_are_counted_from_the_history(self):
        self.pos_sale(self.member, 150.0)
        self.pos_sale(self.other, 250.0)
        self.pos_sale(self.member, 250.0)
        self.env.flush_all()
        Report = self.env["loyalty.tier.member.report"].with_user(self.loyalty_user)
        counts = dict(
            Report._read_group(
                [("company_id", "=", self.company.id)],
                ["tier_id"],
                ["member_count:sum"],
            )
        )
        # The current month: both customers are Silver.
        self.assertEqual(counts, {self.silver: 2})

    def test_tier_movements_by_month_kind_and_cause(self):
        order = self.cashier_sale(self.member, 250.0)  # up to Silver
        self.cashier_refund(order, 250.0)  # down: returned
        self.cashier_sale(self.other, 150.0)  # up to Bronze
        analyst = new_test_user(
            self.env,
            login="tier_analyst",
            groups="base.group_user,loyalty_wallet.group_loyalty_user",
        )
        History = self.History.with_user(analyst)
        for view_type in ("pivot", "graph"):
            History.get_view(view_type=view_type)
        groups = dict(
            History._read_group(
                [("partner_id", "in", (self.member | self.other).ids)],
                ["cause"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {"qualified": 2, "returned": 1})
        action = self.env.ref("loyalty_tier.action_loyalty_tier_history")
        self.assertIn("pivot", action.view_mode)
