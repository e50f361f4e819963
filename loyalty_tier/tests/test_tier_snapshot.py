# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.loyalty_wallet.tests.common import committed_user, drop_committed_users


@tagged("post_install", "-at_install")
class TestTiersSeenBySales(TransactionCase):
    """Whether a company has tiers decides, on every paid order, whether the
    tier's cashback and multiplier are looked at: a sale that ran while the
    manager created the first tier must not make later sales miss it (real
    cursors, committed data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A shop of its own: the main company has tiers in a demo database.
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.company_id = env["res.company"].create({"name": "Snapshot shop"}).id
        cls.manager_id = committed_user(
            cls.registry,
            cls.company_id,
            "lt_snapshot_manager",
            "loyalty_wallet.group_loyalty_manager",
        )
        cls.cashier_id = committed_user(
            cls.registry,
            cls.company_id,
            "lt_snapshot_cashier",
            "point_of_sale.group_pos_user",
        )
        cls.tier_ids = []

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["loyalty.tier"].browse(cls.tier_ids).unlink()
            drop_committed_users(cr, [cls.manager_id, cls.cashier_id])
            env["res.company"].browse(cls.company_id).active = False
        super().tearDownClass()

    def env_of(self, cr, uid):
        return api.Environment(cr, uid, {"allowed_company_ids": [self.company_id]})

    def has_tiers_for_cashier(self, cr):
        return self.env_of(cr, self.cashier_id)[
            "loyalty.tier"
        ]._loyalty_company_has_tiers(self.company_id)

    def test_a_sale_under_way_when_the_first_tier_is_created(self):
        with self.registry.cursor() as sale_cr:
            # the sale's transaction takes its snapshot ...
            self.assertFalse(self.has_tiers_for_cashier(sale_cr))
            sale_cr.rollback()
            sale_cr.execute("SELECT 1")
            # ... the manager creates the first tier and commits ...
            with self.registry.cursor() as manager_cr:
                tier = self.env_of(manager_cr, self.manager_id)["loyalty.tier"].create(
                    {"name": "Silver", "min_points": 100, "cashback_percent": 5}
                )
                self.tier_ids.append(tier.id)
            # ... the sale, in its snapshot, sees no tier (it happened first)
            self.assertFalse(self.has_tiers_for_cashier(sale_cr))
        # the next sale sees the tier
        with self.registry.cursor() as next_cr:
            self.assertTrue(self.has_tiers_for_cashier(next_cr))
        # archived, it counts no more
        with self.registry.cursor() as manager_cr:
            self.env_of(manager_cr, self.manager_id)["loyalty.tier"].browse(
                tier.id
            ).active = False
        with self.registry.cursor() as next_cr:
            self.assertFalse(self.has_tiers_for_cashier(next_cr))
