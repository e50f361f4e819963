# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPercentTour(HttpCase):
    """A percent field shows "%", in a real browser, as a Loyalty Manager."""

    def test_manager_reads_percent_fields_with_their_sign(self):
        new_test_user(
            self.env,
            login="percent_tour_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
        )
        self.env.company.write(
            {"loyalty_cashback_active": True, "loyalty_cashback_type": "percent"}
        )
        today = fields.Date.today()
        self.env["loyalty.campaign"].create(
            {
                "name": "LW Festival",
                "date_start": today,
                "date_end": today + timedelta(days=10),
                "cashback_percent": 15.0,
            }
        )
        self.start_tour(
            "/odoo/action-loyalty_wallet.action_loyalty_campaign",
            "LoyaltyPercentTour",
            login="percent_tour_manager",
        )
