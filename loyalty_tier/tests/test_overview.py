# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltyTierCommon


@tagged("post_install", "-at_install")
class TestTierOverview(LoyaltyTierCommon):
    def test_overview_counts_members_per_tier(self):
        gold = self.create_tier("Gold", 20, min_points=1000)
        self.create_tier("Silver", 10, min_points=100)
        self.member.with_user(self.tier_manager).loyalty_tier_assign(gold, "VIP")
        other = self.env["res.partner"].create({"name": "No tier yet"})
        other._loyalty_enroll()
        # The overview is the Loyalty Manager's screen.
        overview = (
            self.env["loyalty.overview"]
            .with_user(self.loyalty_manager)
            .with_company(self.company)
        )
        tiers = overview.get_loyalty_overview()["tiers"]
        counts = {row["name"]: row["count"] for row in tiers}
        self.assertEqual(counts["Gold"], 1)
        self.assertNotIn("Silver", counts)
        gold_row = next(row for row in tiers if row["name"] == "Gold")
        self.assertEqual(
            overview.env["res.partner"].search(gold_row["domain"]), self.member
        )
