# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.loyalty_wallet.tests.common import SetupSeenBySalesCase


@tagged("post_install", "-at_install")
class TestTiersSeenBySales(SetupSeenBySalesCase, TransactionCase):
    """Whether a company has tiers decides, on every paid order, whether the
    tier's cashback and multiplier are looked at: a sale that ran while the
    manager created the first tier must not make later sales miss it (real
    cursors, committed data)."""

    login_prefix = "lt_snapshot"

    @classmethod
    def _setup_company_id(cls, env):
        # A shop of its own: the main company has tiers in a demo database.
        return env["res.company"].create({"name": "Snapshot shop"}).id

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(cls.company_id).active = False

    def has_tiers_for_cashier(self, cr):
        return self.env_of(cr, self.cashier_id)[
            "loyalty.tier"
        ]._loyalty_company_has_tiers(self.company_id)

    def test_a_sale_under_way_when_the_first_tier_is_created(self):
        tier_ids = []

        def create_first_tier(env):
            tier = env["loyalty.tier"].create(
                {"name": "Silver", "min_points": 100, "cashback_percent": 5}
            )
            self.committed.append((tier._name, tier.id))
            tier_ids.append(tier.id)

        with self.registry.cursor() as sale_cr:
            # the sale's transaction takes its snapshot ...
            self.assertFalse(self.has_tiers_for_cashier(sale_cr))
            sale_cr.rollback()
            sale_cr.execute("SELECT 1")
            # ... the manager creates the first tier and commits ...
            self.manager_commits(create_first_tier)
            # ... the sale, in its snapshot, sees no tier (it happened first)
            self.assertFalse(self.has_tiers_for_cashier(sale_cr))
        # the next sale sees the tier
        with self.registry.cursor() as next_cr:
            self.assertTrue(self.has_tiers_for_cashier(next_cr))
        # archived, it counts no more
        self.manager_commits(
            lambda env: env["loyalty.tier"].browse(tier_ids).write({"active": False})
        )
        with self.registry.cursor() as next_cr:
            self.assertFalse(self.has_tiers_for_cashier(next_cr))
