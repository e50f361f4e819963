# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.loyalty_coupon.tests.common import COUPON_SETTINGS
from odoo.addons.loyalty_sms.tests.common import LoyaltySmsCommon


@tagged("post_install", "-at_install")
class TestConversionOtp(LoyaltySmsCommon):
    """When the company asks for codes, a cashier turns a member's points into
    a coupon only with the code the member received: 100 points are a coupon
    of 10.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({**COUPON_SETTINGS, "loyalty_otp_threshold": 100000})
        cls.neighbour = cls.env["res.partner"].create(
            {"name": "Neighbour", "phone": "0912 000 0000"}
        )
        cls.neighbour._loyalty_enroll()

    def setUp(self):
        super().setUp()
        self.adjust(self.member, "points", 150)
        self.adjust(self.neighbour, "points", 150)

    def proof(self, partner, points):
        as_cashier = partner.with_user(self.cashier)
        challenge = as_cashier.loyalty_otp_request_conversion(self.config.id, points)
        code = re.search(r"\d{6}", self.sink.requests[-1]["body"]["text"]).group(0)
        return as_cashier.loyalty_otp_verify(challenge["challenge"], code)

    def convert(self, points, proof=None, user=None):
        partner = self.member.with_user(user or self.cashier)
        if proof is None:
            return partner.loyalty_convert_points(points)
        return partner.loyalty_convert_points(points, otp_proof=proof)

    def assertRefused(self, points, proof=None):
        with self.assertRaisesRegex(UserError, "SMS code"):
            with self.env.cr.savepoint():
                self.convert(points, proof)
        self.assertBalances(self.member, points=150)
        self.assertFalse(
            self.env["loyalty.card"].search([("partner_id", "=", self.member.id)])
        )

    def test_the_code_goes_to_the_member_with_the_coupon_value(self):
        self.proof(self.member, 100)
        challenge = self.env["loyalty.otp.challenge"].search(
            [("partner_id", "=", self.member.id)], limit=1
        )
        self.assertEqual(challenge.amount, 10.0)
        self.assertEqual(self.sink.requests[-1]["body"]["to"], "+989123456789")

    def test_cashier_converts_with_the_right_code(self):
        card = self.convert(100, self.proof(self.member, 100))
        self.assertEqual(card.sudo().points, 10.0)
        self.assertBalances(self.member, points=50)
        challenge = self.env["loyalty.otp.challenge"].search(
            [("partner_id", "=", self.member.id)]
        )
        self.assertEqual(challenge.loyalty_card_id, card)

    def test_cashier_without_code_is_refused(self):
        self.assertRefused(100)

    def test_forged_proof_is_refused(self):
        challenge = self.member.with_user(self.cashier).loyalty_otp_request_conversion(
            self.config.id, 100
        )["challenge"]
        self.assertRefused(100, f"{challenge}:made-up-token")
        self.assertRefused(100, "not a proof")

    def test_proof_of_another_value_is_refused(self):
        self.assertRefused(120, self.proof(self.member, 100))

    def test_proof_of_another_member_is_refused(self):
        self.assertRefused(100, self.proof(self.neighbour, 100))

    def test_proof_confirms_one_coupon_only(self):
        proof = self.proof(self.member, 100)
        self.convert(100, proof)
        with self.assertRaisesRegex(UserError, "SMS code"):
            self.convert(100, proof)
        self.assertBalances(self.member, points=50)

    def test_conversion_proof_pays_no_order(self):
        proof = self.proof(self.member, 100)
        self.convert(100, proof)
        challenge = self.env["loyalty.otp.challenge"]._loyalty_proof_challenge(proof)
        self.assertFalse(challenge)

    def test_no_code_without_threshold(self):
        self.company.loyalty_otp_threshold = 0
        self.convert(100)
        self.assertBalances(self.member, points=50)

    def test_back_office_converts_without_code(self):
        self.convert(100, user=self.loyalty_user)
        self.assertBalances(self.member, points=50)

    def test_member_converts_own_points_without_code(self):
        self.convert(100, user=self.portal_customer)
        self.assertBalances(self.member, points=50)
