# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTierListTour(HttpCase):
    """The tiers list in a real browser, as a Loyalty Manager."""

    def test_manager_reads_the_tier_cashback_as_a_percentage(self):
        new_test_user(
            self.env,
            login="tier_list_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
        )
        self.env["loyalty.tier"].create(
            {
                "name": "LT Gold",
                "sequence": 30,
                "min_points": 1000,
                "cashback_percent": 15.0,
            }
        )
        self.start_tour(
            "/odoo/action-loyalty_tier.action_loyalty_tier",
            "LoyaltyTierListTour",
            login="tier_list_manager",
        )
