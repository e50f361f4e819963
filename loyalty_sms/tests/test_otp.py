# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LoyaltySmsCommon


@tagged("post_install", "-at_install")
class TestOtp(LoyaltySmsCommon):
    """Above the company's threshold, a payment from the wallet needs the code
    the member received by SMS: the server checks the till's proof at sync."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.loyalty_otp_threshold = 100000
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "OTP cashier",
                "login": "ls_otp_cashier",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("point_of_sale.group_pos_user").id,
                        ]
                    )
                ],
            }
        )
        cls.neighbour = cls.env["res.partner"].create(
            {"name": "Neighbour", "phone": "0912 000 0000"}
        )
        cls.neighbour._loyalty_enroll()

    def setUp(self):
        super().setUp()
        self.adjust(self.member, "wallet", 500000)

    def request_code(self, partner, amount):
        answer = partner.with_user(self.cashier).loyalty_otp_request(
            self.config.id, amount
        )
        text = self.sink.requests[-1]["body"]["text"]
        return answer["challenge"], re.search(r"\d{6}", text).group(0)

    def proof(self, partner, amount):
        challenge, code = self.request_code(partner, amount)
        return partner.with_user(self.cashier).loyalty_otp_verify(challenge, code)

    def wallet_sale(self, amount, proof=None, date_order=None):
        data = self.pos_order_data(
            self.member, amount, payments=[(self.wallet_method, amount)]
        )
        if proof:
            data["loyalty_otp_proof"] = proof
        if date_order:
            data["date_order"] = fields.Datetime.to_string(date_order)
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def assertRefused(self, amount, proof=None):
        with self.assertRaisesRegex(UserError, "SMS code"):
            with self.env.cr.savepoint():
                self.wallet_sale(amount, proof)
        self.assertBalances(self.member, wallet=500000)

    def test_code_goes_to_the_member_phone(self):
        self.request_code(self.member, 150000)
        request = self.sink.requests[-1]
        self.assertEqual(request["body"]["to"], "+989123456789")

    def test_right_code_pays_above_the_threshold(self):
        order = self.wallet_sale(150000, self.proof(self.member, 150000))
        self.assertEqual(order.state, "paid")
        self.assertFalse(order.loyalty_otp_unconfirmed)
        self.assertBalances(self.member, wallet=350000)

    def test_no_proof_is_refused(self):
        self.assertRefused(150000)

    def test_below_the_threshold_needs_no_code(self):
        order = self.wallet_sale(100000)
        self.assertEqual(order.state, "paid")

    def test_forged_proof_is_refused(self):
        challenge, _code = self.request_code(self.member, 150000)
        self.assertRefused(150000, f"{challenge}:made-up-token")
        self.assertRefused(150000, "not a proof")

    def test_wrong_code_is_refused_and_counted(self):
        challenge, code = self.request_code(self.member, 150000)
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        verify = self.member.with_user(self.cashier).loyalty_otp_verify
        for _attempt in range(3):
            self.assertEqual(verify(challenge, wrong), {"error": "The code is wrong."})
        self.assertIn("Too many", verify(challenge, code)["error"])

    def test_expired_code_is_refused(self):
        challenge, code = self.request_code(self.member, 150000)
        with self.later(6 * 60):
            answer = self.member.with_user(self.cashier).loyalty_otp_verify(
                challenge, code
            )
        self.assertIn("expired", answer["error"])

    def test_expired_proof_is_refused(self):
        proof = self.proof(self.member, 150000)
        with self.later(3 * 3600):
            self.assertRefused(150000, proof)

    def test_reused_proof_is_refused(self):
        proof = self.proof(self.member, 150000)
        self.wallet_sale(150000, proof)
        with self.assertRaisesRegex(UserError, "SMS code"):
            with self.env.cr.savepoint():
                self.wallet_sale(150000, proof)
        self.assertBalances(self.member, wallet=350000)
        self.assertIn(
            "already used",
            self.member.with_user(self.cashier).loyalty_otp_verify(
                int(proof.split(":")[0]), "000000"
            )["error"],
        )

    def test_other_member_proof_is_refused(self):
        self.assertRefused(150000, self.proof(self.neighbour, 150000))

    def test_other_member_challenge_cannot_be_verified(self):
        challenge, code = self.request_code(self.neighbour, 150000)
        answer = self.member.with_user(self.cashier).loyalty_otp_verify(challenge, code)
        self.assertIn("Unknown", answer["error"])

    def test_proof_is_bound_to_the_amount(self):
        self.assertRefused(200000, self.proof(self.member, 150000))

    def test_code_is_stored_hashed(self):
        challenge_id, code = self.request_code(self.member, 150000)
        challenge = self.env["loyalty.otp.challenge"].browse(challenge_id)
        stored = challenge.read()[0]
        self.assertNotIn(code, [str(value) for value in stored.values()])
        self.assertTrue(challenge.code_hash)

    def test_cashier_reads_no_code(self):
        challenge_id, _code = self.request_code(self.member, 150000)
        with self.assertRaises(AccessError):
            self.env["loyalty.otp.challenge"].with_user(self.cashier).browse(
                challenge_id
            ).read(["code_hash"])

    def test_offline_order_is_accepted_and_flagged(self):
        order = self.wallet_sale(
            150000, date_order=fields.Datetime.now() - timedelta(minutes=30)
        )
        self.assertEqual(order.state, "paid")
        self.assertTrue(order.loyalty_otp_unconfirmed)
        self.assertBalances(self.member, wallet=350000)

    def test_codes_are_rate_limited(self):
        for _request in range(3):
            self.request_code(self.member, 150000)
        with self.assertRaisesRegex(UserError, "Too many codes"):
            self.member.with_user(self.cashier).loyalty_otp_request(
                self.config.id, 150000
            )
