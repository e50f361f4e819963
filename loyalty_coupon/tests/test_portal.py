# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions

from .common import COUPON_SETTINGS


@tagged("post_install", "-at_install")
class TestPortalConversion(LedgerAssertions, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(COUPON_SETTINGS)
        cls.sara = cls.portal_member("lc_sara", 150)
        cls.omid = cls.portal_member("lc_omid", 40)
        cls.reza = cls.portal_member("lc_reza", 150)

    @classmethod
    def portal_member(cls, login, points):
        user = cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "group_ids": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )
        user.partner_id._loyalty_enroll()
        user.partner_id._loyalty_earn("points", points, description="opening points")
        return user.partner_id

    def coupons_of(self, partner):
        return self.env["loyalty.card"].search(
            [("partner_id", "=", partner.id), ("loyalty_conversion_id", "!=", False)]
        )

    def csrf_token_of_my_loyalty(self):
        page = self.url_open("/my/loyalty")
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def convert(self, data):
        return self.url_open("/my/loyalty/convert", data=data)

    def test_customer_converts_points_and_sees_the_code(self):
        self.authenticate("lc_sara", "lc_sara")
        page = self.url_open("/my/loyalty")
        self.assertIn("o_loyalty_coupon_convert", page.text)
        token = self.csrf_token_of_my_loyalty()

        response = self.convert({"points": "120", "csrf_token": token})

        self.assertEqual(response.status_code, 200)
        card = self.coupons_of(self.sara)
        self.assertEqual(len(card), 1)
        self.assertEqual(card.points, 12.0)
        self.assertIn(f"coupon={card.id}", response.url)
        self.assertIn("o_loyalty_coupon_new_code", response.text)
        self.assertIn(card.code, response.text)
        self.assertBalances(self.sara, points=30)

    def test_refused_conversion_shows_why_and_spends_nothing(self):
        self.authenticate("lc_sara", "lc_sara")
        token = self.csrf_token_of_my_loyalty()
        response = self.convert({"points": "90", "csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_loyalty_coupon_error", response.text)
        self.assertIn("At least 100", response.text)
        self.assertFalse(self.coupons_of(self.sara))
        self.assertBalances(self.sara, points=150)

    def test_customer_below_the_minimum_sees_the_missing_points(self):
        self.authenticate("lc_omid", "lc_omid")
        page = self.url_open("/my/loyalty")
        self.assertIn("o_loyalty_coupon_missing", page.text)
        self.assertNotIn("o_loyalty_coupon_convert", page.text)
        self.assertIn("<strong>60</strong>", page.text)  # "60", not "60.00"

    def test_points_still_pending_are_not_offered(self):
        """120 of Omid's 160 points wait out the return window: the 40
        available are short of a coupon."""
        company = self.env.company
        company.loyalty_pending_days = 14
        self.omid._loyalty_earn(
            "points",
            120,
            available_date=company._loyalty_local_date() + timedelta(days=14),
            description="points of a sale",
        )
        self.authenticate("lc_omid", "lc_omid")
        page = self.url_open("/my/loyalty").text
        self.assertIn("o_loyalty_coupon_missing", page)
        self.assertNotIn("o_loyalty_coupon_convert", page)
        self.assertIn("<strong>60</strong>", page)

    def test_fixed_denominations_are_offered_as_choices(self):
        self.env.company.loyalty_coupon_denominations = "10, 20"
        self.authenticate("lc_sara", "lc_sara")
        page = self.url_open("/my/loyalty")
        self.assertIn('<select id="loyalty_coupon_points"', page.text)
        self.assertIn('value="100.0"', page.text)
        self.assertIn('value="200.0" disabled', page.text)  # Sara has 150

    def test_a_denomination_shows_the_points_it_takes(self):
        """At 2.55 points a unit, a coupon of 50 takes 127.5 points: the
        choice says so (not a rounded 128), and its value reads as money."""
        self.env.company.write(
            {
                "loyalty_coupon_denominations": "50",
                "loyalty_coupon_points_per_unit": 2.55,
            }
        )
        self.authenticate("lc_sara", "lc_sara")
        page = self.url_open("/my/loyalty").text
        option = re.search(r'<option value="127.5">(.*?)</option>', page, re.S)
        self.assertTrue(option, "the 50 coupon is offered for 127.5 points")
        self.assertEqual(" ".join(option.group(1).split()), "$ 50.00 (127.5 points)")

    def test_conversion_needs_the_csrf_token(self):
        self.authenticate("lc_sara", "lc_sara")
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.convert({"points": "120"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.coupons_of(self.sara))

    def test_a_customer_cannot_convert_someone_elses_points(self):
        self.authenticate("lc_reza", "lc_reza")
        token = self.csrf_token_of_my_loyalty()
        response = self.convert(
            {"points": "120", "partner_id": str(self.sara.id), "csrf_token": token}
        )
        self.assertEqual(response.status_code, 200)
        # The route converts the logged-in customer's points only, whatever
        # the form says: Reza got the coupon, Sara's points are untouched.
        self.assertFalse(self.coupons_of(self.sara))
        self.assertBalances(self.sara, points=150)
        self.assertEqual(self.coupons_of(self.reza).points, 12.0)
        self.assertBalances(self.reza, points=30)

    def test_a_customer_without_enough_points_converts_nothing(self):
        self.authenticate("lc_omid", "lc_omid")
        response = self.url_open("/my/loyalty")
        token = re.search(r'csrf_token: "([^"]+)"', response.text).group(1)
        response = self.convert(
            {"points": "120", "partner_id": str(self.sara.id), "csrf_token": token}
        )
        self.assertIn("o_loyalty_coupon_error", response.text)
        self.assertFalse(self.coupons_of(self.sara) | self.coupons_of(self.omid))
        self.assertBalances(self.sara, points=150)
        self.assertBalances(self.omid, points=40)
