# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions


@tagged("post_install", "-at_install")
class TestTierPortal(LedgerAssertions, HttpCase):
    """The member's own portal page tells them where they stand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.write({"loyalty_cashback_active": True, "loyalty_cashback_value": 0.0})
        Tier = cls.env["loyalty.tier"]
        cls.silver = Tier.create({"name": "Silver", "sequence": 20, "min_spend": 200.0})
        cls.gold = Tier.create({"name": "Gold", "sequence": 30, "min_spend": 1000.0})
        cls.member = cls.env["res.partner"].create({"name": "Pari Portal"})
        cls.member._loyalty_enroll(company)
        cls.member.loyalty_tier_assign(cls.silver, "Welcome offer")
        new_test_user(
            cls.env,
            login="tier_portal",
            password="tier_portal",
            groups="base.group_portal",
            partner_id=cls.member.id,
        )

    def test_portal_page_shows_the_tier_and_the_progress_bar(self):
        self.authenticate("tier_portal", "tier_portal")
        response = self.url_open("/my/loyalty")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("o_loyalty_tier_standing", page)
        self.assertIn("Silver", page)
        self.assertIn("more to reach Gold", page)
        self.assertIn("1,000.00", page)
        self.assertIn('class="progress-bar o_loyalty_tier_progress_bar"', page)
