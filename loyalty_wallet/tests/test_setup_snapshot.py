# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import TransactionCase, tagged

from .common import SetupSeenBySalesCase


@tagged("post_install", "-at_install")
class TestCampaignsSeenBySales(SetupSeenBySalesCase, TransactionCase):
    """Which campaigns run is cached (every paid order asks): a sale that ran
    while the manager launched a campaign must not make later sales miss its
    cashback (real cursors, committed data)."""

    login_prefix = "lw_setup"

    def running_for_cashier(self, cr):
        env = self.env_of(cr, self.cashier_id)
        return env["loyalty.campaign"]._loyalty_running(
            env.company, fields.Datetime.now()
        )

    def test_a_sale_under_way_when_a_campaign_is_launched(self):
        today = fields.Date.today()
        campaign_ids = []

        def launch(env):
            campaign = env["loyalty.campaign"].create(
                {
                    "name": "Nowruz",
                    "date_start": today,
                    "date_end": fields.Date.add(today, days=13),
                    "cashback_percent": 5,
                }
            )
            self.committed.append((campaign._name, campaign.id))
            campaign_ids.append(campaign.id)

        with self.registry.cursor() as sale_cr:
            # the sale's transaction takes its snapshot ...
            before = self.running_for_cashier(sale_cr)
            # ... the manager launches a campaign and commits ...
            self.manager_commits(launch)
            # ... the sale, in its snapshot, runs without it (it came first)
            self.assertEqual(self.running_for_cashier(sale_cr), before)
        # the next sale gets it
        with self.registry.cursor() as next_cr:
            running = self.running_for_cashier(next_cr)
            self.assertIn(campaign_ids[0], running.ids)
            self.assertEqual(running - running.browse(campaign_ids), before)
        # ended early, it runs no more
        self.manager_commits(
            lambda env: (
                env["loyalty.campaign"]
                .browse(campaign_ids)
                .write(
                    {
                        "date_end": fields.Date.add(today, days=-1),
                        "date_start": "2020-01-01",
                    }
                )
            )
        )
        with self.registry.cursor() as next_cr:
            self.assertNotIn(campaign_ids[0], self.running_for_cashier(next_cr).ids)
