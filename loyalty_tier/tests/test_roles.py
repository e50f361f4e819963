# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LoyaltyTierCommon


@tagged("post_install", "-at_install")
class TestTierRoles(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gold = cls.create_tier("Gold", 30, min_spend=1000, cashback_percent=5)

    def test_loyalty_manager_defines_and_assigns_tiers(self):
        Tier = self.env["loyalty.tier"].with_user(self.loyalty_manager)
        silver = Tier.create(
            {"name": "Silver", "sequence": 20, "min_spend": 500, "cashback_percent": 2}
        )
        silver.cashback_percent = 3
        self.member.with_user(self.loyalty_manager).loyalty_tier_assign(
            self.gold.id, "VIP"
        )
        self.assertEqual(self.member.loyalty_tier_id, self.gold)
        silver.unlink()

    def test_only_loyalty_managers_change_tiers(self):
        for user in (self.loyalty_user, self.cashier, self.billing):
            with self.subTest(user=user.login):
                self.gold.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.gold.with_user(user).write({"cashback_percent": 50})
                with self.assertRaises(AccessError):
                    self.member.with_user(user).loyalty_tier_assign(self.gold.id, "me")
        with self.assertRaises(AccessError):
            self.member.with_user(self.portal_customer).loyalty_tier_assign(
                self.gold.id, "me"
            )
        self.assertFalse(self.member.loyalty_tier_id)

    def test_cashier_sale_records_the_tier(self):
        self.member.loyalty_tier_assign(self.gold.id, "fixture")
        data = self.pos_order_data(self.member, 100)
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.loyalty_tier_id, self.gold)
        self.assertEqual(self.earned(order), 5)
