# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltyTierCommon


@tagged("post_install", "-at_install")
class TestTierRetention(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bronze = cls.create_tier(
            "Bronze",
            10,
            min_order_amount=100.0,
            cashback_percent=2.0,
            retention_days=30,
            retention_min_amount=100.0,
        )

    def become_bronze(self):
        self.pos_sale(self.member, 150.0)
        self.assertEqual(self.tier_of(self.member), self.bronze)

    def test_next_order_in_time_keeps_the_tier(self):
        self.become_bronze()
        with self.on_day(20):
            self.pos_sale(self.member, 120.0)
        with self.on_day(31):
            self.review()
        self.assertEqual(self.tier_of(self.member), self.bronze)
        self.assertEqual(
            self.member.with_company(self.company).loyalty_tier_renewed_on, self.day(20)
        )
        self.assertEqual(len(self.history(self.member)), 1)

    def test_no_order_in_time_downgrades_with_the_reason(self):
        self.become_bronze()
        with self.on_day(30):
            self.review()
        self.assertEqual(self.tier_of(self.member), self.bronze)
        with self.on_day(31):
            self.review()
        self.assertFalse(self.tier_of(self.member))
        last = self.history(self.member)[-1]
        self.assertRecordValues(
            last,
            [{"kind": "down", "old_tier_id": self.bronze.id, "new_tier_id": False}],
        )
        self.assertIn("No order of at least", last.reason)
        self.assertIn("100.00", last.reason)
        self.assertIn("within 30 days", last.reason)

    def test_too_small_order_does_not_keep_the_tier(self):
        self.become_bronze()
        with self.on_day(20):
            self.pos_sale(self.member, 80.0)
        with self.on_day(31):
            self.review()
        self.assertFalse(self.tier_of(self.member))

    def test_locked_tier_is_not_downgraded(self):
        self.become_bronze()
        self.member.with_user(self.tier_manager).loyalty_tier_assign(
            self.bronze, "VIP", locked_until=self.day(45)
        )
        with self.on_day(31):
            self.review()
        self.assertEqual(self.tier_of(self.member), self.bronze)
        with self.on_day(46):
            self.review()
        self.assertFalse(self.tier_of(self.member))

    def test_downgrade_lands_on_the_best_tier_still_kept(self):
        silver = self.create_tier(
            "Silver",
            20,
            min_order_amount=200.0,
            retention_days=30,
            retention_min_amount=200.0,
        )
        self.bronze.retention_days = 60
        self.pos_sale(self.member, 250.0)
        self.assertEqual(self.tier_of(self.member), silver)
        with self.on_day(25):
            self.pos_sale(self.member, 120.0)  # keeps Bronze, not Silver
        with self.on_day(31):
            self.review()
        self.assertEqual(self.tier_of(self.member), self.bronze)
        self.assertEqual(
            self.member.with_company(self.company).loyalty_tier_renewed_on, self.day(25)
        )
        self.assertEqual(self.history(self.member)[-1].old_tier_id, silver)

    def test_review_runs_again_without_changing_anything(self):
        self.become_bronze()
        with self.on_day(31):
            self.review()
            self.review()
        self.assertEqual(
            len(self.history(self.member).filtered(lambda h: h.kind == "down")), 1
        )

    def test_late_order_that_qualifies_again_keeps_the_tier_in_one_step(self):
        self.become_bronze()
        events = self.tier_events()
        with self.on_day(35):
            order = self.pos_sale(self.member, 150.0)
        self.assertEqual(self.tier_of(self.member), self.bronze)
        # Lost and regained by the same sale: no net change, nothing to tell.
        self.assertEqual(self.history(self.member).mapped("kind"), ["up"])
        self.assertFalse(events)
        self.assertEqual(
            self.member.with_company(self.company).loyalty_tier_renewed_on, self.day(35)
        )
        self.assertAlmostEqual(self.earned(order), 3.0)

    def test_lost_tier_gives_back_the_previous_pricelist(self):
        own = self.create_pricelist("Own", 0.0)
        gold_list = self.create_pricelist("Gold list", 10.0)
        self.bronze.pricelist_id = gold_list
        member = self.member.with_company(self.company)
        member.property_product_pricelist = own
        self.become_bronze()
        member.invalidate_recordset()
        self.assertEqual(member.property_product_pricelist, gold_list)
        self.assertEqual(member.loyalty_tier_saved_pricelist_id, own)
        with self.on_day(31):
            self.review()
        member.invalidate_recordset()
        self.assertEqual(member.property_product_pricelist, own)
        self.assertFalse(member.loyalty_tier_saved_pricelist_id)
