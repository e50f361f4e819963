# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltyTierCommon


@tagged("post_install", "-at_install")
class TestTierQualification(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bronze = cls.create_tier(
            "Bronze", 10, min_order_amount=100.0, cashback_percent=2.0
        )
        cls.silver = cls.create_tier(
            "Silver", 20, min_order_amount=200.0, cashback_percent=5.0
        )

    def test_qualifying_order_earns_at_the_new_tier_rate(self):
        order = self.pos_sale(self.member, 150.0)
        self.assertEqual(self.tier_of(self.member), self.bronze)
        self.assertAlmostEqual(self.earned(order), 3.0)
        self.assertEqual(order.loyalty_tier_id, self.bronze)
        history = self.history(self.member)
        self.assertRecordValues(
            history,
            [
                {
                    "old_tier_id": False,
                    "new_tier_id": self.bronze.id,
                    "kind": "up",
                    "source_model": "pos.order",
                    "source_id": order.id,
                }
            ],
        )
        second = self.pos_sale(self.member, 250.0)
        self.assertEqual(self.tier_of(self.member), self.silver)
        self.assertAlmostEqual(self.earned(second), 12.5)
        self.assertEqual(second.loyalty_tier_id, self.silver)
        self.assertEqual(self.history(self.member)[-1].old_tier_id, self.bronze)
        self.assertBalances(self.member, wallet=15.5)

    def test_order_below_every_rule_gives_no_tier(self):
        order = self.pos_sale(self.member, 99.0)
        self.assertFalse(self.tier_of(self.member))
        self.assertFalse(self.earned(order))
        self.assertFalse(self.history(self.member))

    def test_smaller_order_never_downgrades(self):
        self.pos_sale(self.member, 250.0)
        self.pos_sale(self.member, 120.0)
        self.assertEqual(self.tier_of(self.member), self.silver)
        self.assertEqual(len(self.history(self.member)), 1)

    def test_posted_invoice_upgrades_and_stores_the_tier(self):
        move = self.invoice(self.member, 150.0)
        self.assertEqual(self.tier_of(self.member), self.bronze)
        self.assertEqual(move.loyalty_tier_id, self.bronze)
        self.assertAlmostEqual(self.earned(move), 3.0)
        self.assertEqual(self.history(self.member).source_model, "account.move")

    def test_spend_in_window_counts_refunds(self):
        gold = self.create_tier(
            "Gold", 30, min_spend=300.0, window_days=30, cashback_percent=10.0
        )
        order = self.pos_sale(self.member, 150.0)  # Bronze
        self.pos_refund(order, 50.0)
        self.pos_sale(self.member, 190.0)  # 150 - 50 + 190 = 290
        self.assertEqual(self.tier_of(self.member), self.bronze)
        last = self.pos_sale(self.member, 10.0)  # 300
        self.assertEqual(self.tier_of(self.member), gold)
        self.assertAlmostEqual(self.earned(last), 1.0)

    def test_spend_outside_the_window_is_not_counted(self):
        gold = self.create_tier("Gold", 30, min_spend=300.0, window_days=30)
        old = self.pos_sale(self.member, 250.0)
        self.backdate(old, 40)
        self.pos_sale(self.member, 60.0)
        self.assertEqual(self.tier_of(self.member), self.silver)
        self.pos_sale(self.member, 240.0)
        self.assertEqual(self.tier_of(self.member), gold)

    def test_order_count_rule(self):
        regular = self.create_tier("Regular", 30, min_order_count=3)
        self.pos_sale(self.member, 10.0)
        self.pos_sale(self.member, 10.0)
        self.assertFalse(self.tier_of(self.member))
        self.pos_sale(self.member, 10.0)
        self.assertEqual(self.tier_of(self.member), regular)

    def test_points_rule_counts_points_earned(self):
        self.company.loyalty_points_active = True
        starred = self.create_tier(
            "Starred", 30, min_points=10.0, points_multiplier=3.0
        )
        self.member._loyalty_earn("points", 10.0)
        self.pos_sale(self.member, 20000.0)
        self.assertEqual(self.tier_of(self.member), starred)
        # 1 point per 20,000, tripled by the tier this order earned.
        self.assertBalances(self.member, points=13.0)

    def test_best_tier_wins_when_several_qualify(self):
        self.pos_sale(self.member, 500.0)
        self.assertEqual(self.tier_of(self.member), self.silver)
        self.assertEqual(len(self.history(self.member)), 1)

    def test_tier_change_is_announced(self):
        events = []
        Partner = self.env.registry["res.partner"]
        original = Partner._loyalty_notify

        def spy(records, event, transactions, **values):
            events.append((event, values))
            return original(records, event, transactions, **values)

        self.patch(Partner, "_loyalty_notify", spy)
        self.pos_sale(self.member, 150.0)
        tier_events = [values for event, values in events if event == "tier_change"]
        self.assertEqual(len(tier_events), 1)
        self.assertEqual(tier_events[0]["partner"], self.member)
        self.assertFalse(tier_events[0]["old_tier"])
        self.assertEqual(tier_events[0]["new_tier"], self.bronze)
        self.assertTrue(tier_events[0]["reason"])
