# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import LedgerAssertions


@tagged("post_install", "-at_install")
class TestLoyaltyCard(LedgerAssertions, HttpCase):
    """The club card: printed from the member's form, shown on the portal,
    carrying the card number the till's scanner reads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_cashback_active = True
        cls.member = cls.env["res.partner"].create({"name": "Ali Ahmadi"})
        cls.member._loyalty_enroll()
        cls.clerk = new_test_user(
            cls.env,
            login="lw_card_clerk",
            groups="base.group_user,loyalty_wallet.group_loyalty_user",
        )
        new_test_user(
            cls.env,
            login="lw_card_portal",
            password="lw_card_portal",
            name="Ali Ahmadi",
            groups="base.group_portal",
            partner_id=cls.member.id,
        )

    def test_card_pdf_renders_with_the_member_number(self):
        number = self.member.barcode
        self.assertTrue(number.startswith("042"))
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            ._render_qweb_pdf(
                "loyalty_wallet.action_report_loyalty_card", self.member.ids
            )
        )
        html = content.decode()
        self.assertIn("Ali Ahmadi", html)
        self.assertIn(self.env.company.name, html)
        self.assertIn(
            f'<div class="font-monospace o_loyalty_card_number">{number}</div>', html
        )
        # the number as a Code128 barcode and as a QR code, both images
        self.assertIn('class="o_loyalty_card_barcode"', html)
        self.assertIn('class="o_loyalty_card_qr"', html)
        self.assertEqual(html.count(f'alt="Barcode {number}"'), 2)
        images = re.findall(
            r'<img class="o_loyalty_card_(?:barcode|qr)"[^>]*'
            r'src="data:image/png;base64,',
            html,
        )
        self.assertEqual(len(images), 2)

    def test_portal_shows_the_card_qr(self):
        self.authenticate("lw_card_portal", "lw_card_portal")
        response = self.url_open("/my/loyalty")
        self.assertEqual(response.status_code, 200)
        self.assertIn('class="o_loyalty_card_qr"', response.text)
        self.assertIn(f'alt="Barcode {self.member.barcode}"', response.text)
