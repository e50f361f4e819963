# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@tagged("post_install", "-at_install")
class TestOneClubInThePortal(LedgerAssertions, HttpCase):
    """The portal home of a customer who also holds a native loyalty card:
    the club's card and the native program's card are told apart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.env.company.loyalty_points_active = True
        cls.native = cls.env["loyalty.program"].create(
            {
                "name": "Stamp Card",
                "program_type": "loyalty",
                "portal_visible": True,
                "portal_point_name": "Loyalty Points",
            }
        )
        cls.user = cls.env["res.users"].create(
            {
                "name": "Native and Club",
                "login": "lc_both",
                "password": "lc_both",
                "group_ids": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )
        cls.customer = cls.user.partner_id
        cls.customer._loyalty_enroll()
        cls.customer._loyalty_earn("points", 194, description="opening points")
        cls.env["loyalty.card"].create(
            {"program_id": cls.native.id, "partner_id": cls.customer.id, "points": 320}
        )

    def test_portal_home_shows_the_club_apart_from_native_programs(self):
        self.authenticate("lc_both", "lc_both")
        home = self.url_open("/my").text
        club = home.index("o_loyalty_side_club")
        native = home.index("o_loyalty_native_heading")
        self.assertLess(club, native, "the club's card comes first")
        self.assertIn("194 points", home[club:native])
        self.assertNotIn("320", home[club:native])
        self.assertIn("Other loyalty programs", home[native:])
        self.assertIn("Stamp Card", home[native:])

    def test_barcodes_render_as_png(self):
        """The coupon barcode the receipt loads (reportlab 4 needs rl-renderPM)."""
        response = self.url_open("/report/barcode/Code128/044COUPON12")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(PNG_MAGIC))
