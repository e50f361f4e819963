# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltyTierCommon


@tagged("post_install", "-at_install")
class TestTierOffers(LoyaltyTierCommon):
    """The tier's cashback competes with campaigns: the best single offer wins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.campaign"].create(
            {
                "name": "Festival",
                "company_id": cls.company.id,
                "date_start": cls.day(-1),
                "date_end": cls.day(1),
                "cashback_percent": 6.0,
                "points_multiplier": 2.0,
            }
        )

    def sale_with_tier(self, **tier_values):
        tier = self.create_tier("Club", 10, min_order_count=1000, **tier_values)
        self.member.with_user(self.tier_manager).loyalty_tier_assign(tier, "VIP")
        return self.pos_sale(self.member, 100.0)

    def test_campaign_beats_a_smaller_tier_offer(self):
        order = self.sale_with_tier(cashback_percent=4.0)
        self.assertAlmostEqual(self.earned(order), 6.0)

    def test_tier_beats_a_smaller_campaign(self):
        order = self.sale_with_tier(cashback_percent=8.0)
        self.assertAlmostEqual(self.earned(order), 8.0)

    def test_the_tier_is_named_in_the_readers_language(self):
        """A cashback earned under a tier names the tier in the language of
        whoever reads the ledger, not of the cashier who sold."""
        self.env["res.lang"]._activate_lang("fa_IR")
        order = self.sale_with_tier(cashback_percent=8.0)
        tier = self.tier_of(self.member)
        tier.with_context(lang="fa_IR").name = "باشگاه"
        row = self.env["loyalty.transaction"].search(
            [
                ("source_model", "=", "pos.order"),
                ("source_id", "=", order.id),
                ("operation", "=", "earn"),
                ("kind", "=", "wallet"),
            ]
        )
        self.assertIn("(Club)", row.description)
        reader = row.with_user(self.tier_manager).with_context(lang="fa_IR")
        in_persian = reader.description_display
        self.assertIn("(باشگاه)", in_persian)

    def test_tier_cap_limits_its_offer(self):
        order = self.sale_with_tier(cashback_percent=10.0, cashback_max_amount=7.0)
        self.assertAlmostEqual(self.earned(order), 7.0)

    def test_best_points_multiplier_applies(self):
        self.company.write(
            {"loyalty_points_active": True, "loyalty_points_step_amount": 10.0}
        )
        order = self.sale_with_tier(points_multiplier=3.0)
        self.assertAlmostEqual(self.earned(order, "points"), 30.0)

    def test_no_tier_offer_without_cashback_enabled(self):
        self.company.write(
            {"loyalty_cashback_active": False, "loyalty_points_active": True}
        )
        order = self.sale_with_tier(cashback_percent=8.0)
        self.assertFalse(self.earned(order))
