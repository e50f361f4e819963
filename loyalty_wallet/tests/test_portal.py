# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo.tests import HttpCase, new_test_user, tagged

from .common import LedgerAssertions


@tagged("post_install", "-at_install")
class TestPortalPage(LedgerAssertions, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_cashback_active = True
        cls.customer = cls.env["res.partner"].create({"name": "Portal Customer"})
        cls.neighbour = cls.env["res.partner"].create({"name": "Neighbour"})
        for partner in cls.customer | cls.neighbour:
            partner._loyalty_enroll()
        cls.customer.loyalty_adjust(
            "wallet", 1234, "Thank-you credit for Portal Customer"
        )
        cls.neighbour.loyalty_adjust("wallet", 999, "Neighbour's private credit")
        new_test_user(
            cls.env,
            login="loyal_portal_page",
            password="loyal_portal_page",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )

    def test_my_loyalty_shows_only_my_movements(self):
        self.authenticate("loyal_portal_page", "loyal_portal_page")
        response = self.url_open("/my/loyalty")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank-you credit for Portal Customer", response.text)
        self.assertIn("1,234", response.text)
        self.assertNotIn("Neighbour", response.text)

    def test_my_loyalty_needs_a_login(self):
        response = self.url_open("/my/loyalty", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_my_loyalty_dates_are_jalali_for_persian_readers(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.customer.write({"lang": "fa_IR", "tz": "Asia/Tehran"})
        # 2021-06-26 05:20 UTC = 09:50 in Tehran = 1400/04/05
        self.customer._loyalty_earn(
            "wallet",
            500,
            date=datetime(2021, 6, 26, 5, 20),
            expiration_date=date(2030, 1, 1),
            description="Birthday gift",
        )
        self.authenticate("loyal_portal_page", "loyal_portal_page")
        page = self.url_open("/my/loyalty").text
        self.assertIn("1400/04/05", page)  # the movement's date
        self.assertIn("1408/10/12", page)  # its expiry (2030-01-01)
        self.assertNotIn("06/26/2021", page)
        self.assertNotIn("01/01/2030", page)

    def test_portal_follows_the_customers_language_not_the_browsers(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["loyalty_wallet"], ["fa_IR"], overwrite=True
        )
        self.customer.lang = "fa_IR"
        self.customer._loyalty_earn("points", 40, description_code="welcome")
        self.authenticate("loyal_portal_page", "loyal_portal_page")
        # The login page, read in the browser's English, left this cookie.
        self.opener.cookies.set("frontend_lang", "en_US")
        page = self.url_open("/my/loyalty", headers={"Accept-Language": "en-US"}).text
        self.assertIn("باشگاه مشتریان من", page)  # "My Loyalty"
        self.assertIn("به باشگاه مشتریان خوش آمدید", page)  # "Welcome to the club"
        self.assertNotIn("Welcome to the club", page)

    def test_portal_home_shows_the_club_card(self):
        self.customer._loyalty_earn("points", 140, description="opening points")
        self.authenticate("loyal_portal_page", "loyal_portal_page")
        home = self.url_open("/my").text
        self.assertIn("o_loyalty_side_club", home)
        self.assertIn("140 points", home)
        self.assertNotIn("140.00 points", home)
