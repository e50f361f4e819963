# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLoyaltyOverviewTour(HttpCase):
    """The overview screen, in a real browser, as a Loyalty Manager."""

    def test_manager_opens_the_overview_and_its_records(self):
        new_test_user(
            self.env,
            login="overview_tour_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
        )
        self.env.company.loyalty_cashback_active = True
        member = self.env["res.partner"].create({"name": "Overview Member"})
        member._loyalty_enroll()
        member.loyalty_adjust("wallet", 12345, "tour seed")
        member.loyalty_adjust("points", 140, "tour seed")
        self.start_tour(
            "/odoo/action-loyalty_wallet.action_loyalty_overview",
            "LoyaltyOverviewTour",
            login="overview_tour_manager",
        )
