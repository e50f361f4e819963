# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from .common import committed_user, drop_committed_users


@tagged("post_install", "-at_install")
class TestCampaignsSeenBySales(TransactionCase):
    """Which campaigns run is cached (every paid order asks): a sale that ran
    while the manager launched a campaign must not make later sales miss its
    cashback (real cursors, committed data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.company_id = env.ref("base.main_company").id
        cls.manager_id = committed_user(
            cls.registry,
            cls.company_id,
            "lw_setup_manager",
            "loyalty_wallet.group_loyalty_manager",
        )
        cls.cashier_id = committed_user(
            cls.registry,
            cls.company_id,
            "lw_setup_cashier",
            "point_of_sale.group_pos_user",
        )
        cls.campaign_ids = []

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["loyalty.campaign"].browse(cls.campaign_ids).unlink()
            drop_committed_users(cr, [cls.manager_id, cls.cashier_id])
        super().tearDownClass()

    def env_of(self, cr, uid):
        return api.Environment(cr, uid, {"allowed_company_ids": [self.company_id]})

    def running_for_cashier(self, cr):
        env = self.env_of(cr, self.cashier_id)
        return env["loyalty.campaign"]._loyalty_running(
            env.company, fields.Datetime.now()
        )

    def manager_does(self, action):
        with self.registry.cursor() as manager_cr:
            action(self.env_of(manager_cr, self.manager_id)["loyalty.campaign"])

    def test_a_sale_under_way_when_a_campaign_is_launched(self):
        today = fields.Date.today()

        def launch(Campaign):
            campaign = Campaign.create(
                {
                    "name": "Nowruz",
                    "date_start": today,
                    "date_end": fields.Date.add(today, days=13),
                    "cashback_percent": 5,
                }
            )
            self.campaign_ids.append(campaign.id)

        with self.registry.cursor() as sale_cr:
            # the sale's transaction takes its snapshot ...
            before = self.running_for_cashier(sale_cr)
            # ... the manager launches a campaign and commits ...
            self.manager_does(launch)
            # ... the sale, in its snapshot, runs without it (it came first)
            self.assertEqual(self.running_for_cashier(sale_cr), before)
        # the next sale gets it
        with self.registry.cursor() as next_cr:
            running = self.running_for_cashier(next_cr)
            self.assertIn(self.campaign_ids[0], running.ids)
            self.assertEqual(running - running.browse(self.campaign_ids), before)
        # ended early, it runs no more
        self.manager_does(
            lambda Campaign: Campaign.browse(self.campaign_ids).write(
                {
                    "date_end": fields.Date.add(today, days=-1),
                    "date_start": "2020-01-01",
                }
            )
        )
        with self.registry.cursor() as next_cr:
            self.assertNotIn(
                self.campaign_ids[0], self.running_for_cashier(next_cr).ids
            )
