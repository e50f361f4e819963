# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.loyalty_sms.models import loyalty_otp_challenge
from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from .common import SmsSink

# What the tour types: the code is drawn from a patched generator, so the
# browser can know it; the test still checks the member's SMS carried it.
CODE = 246813


@tagged("post_install", "-at_install")
class TestOtpPosTour(LedgerAssertions, TestPointOfSaleHttpCommon):
    """The cashier's side of the confirmation code, in a real browser: the
    member pays above the threshold from the wallet, reads out the code that
    reached their phone, and only the right one pays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("loyalty_wallet.group_loyalty_manager")
        cls.company = cls.main_pos_config.company_id
        cls.sink = SmsSink()
        cls.addClassCleanup(cls.sink.close)
        gateway = cls.env["loyalty.sms.gateway"].create(
            {
                "name": "Tour sink",
                "provider": "http",
                "endpoint_url": f"{cls.sink.url}/sms",
                "api_key": "secret-token",
                "sender": "SHOP",
                "company_id": cls.company.id,
            }
        )
        cls.company.write(
            {"loyalty_sms_gateway_id": gateway.id, "loyalty_otp_threshold": 100000}
        )
        outstanding = cls.bank_payment_method.outstanding_account_id
        cls.wallet_method = cls.env["pos.payment.method"].create(
            {
                "name": "Wallet",
                "loyalty_payment": "wallet",
                "journal_id": cls.bank_journal.id,
                "outstanding_account_id": outstanding.id,
            }
        )
        cls.main_pos_config.payment_method_ids |= cls.wallet_method
        cls.env["product.product"].create(
            {
                "name": "LS Sofa",
                "list_price": 500000.0,
                "taxes_id": [(5, 0, 0)],
                "available_in_pos": True,
            }
        )
        cls.member = cls.env["res.partner"].create(
            {
                "name": "Ali Ahmadi",
                "phone": "+98 912 345 6789",
                "country_id": cls.env.ref("base.ir").id,
            }
        )
        cls.member._loyalty_enroll(company=cls.company)
        cls.member.with_company(cls.company).loyalty_adjust(
            "wallet", 150000, "opening balance"
        )

    def test_wrong_code_refused_right_code_pays(self):
        with patch.object(
            loyalty_otp_challenge.secrets, "randbelow", return_value=CODE
        ):
            self.start_pos_tour("LoyaltySmsOtpTour")
        self.assertEqual(len(self.sink.requests), 1)
        sms = self.sink.requests[0]["body"]
        self.assertEqual(sms["to"], "+989123456789")
        self.assertIn(str(CODE), sms["text"])
        order = self.env["pos.order"].search([("partner_id", "=", self.member.id)])
        self.assertEqual(order.state, "paid")
        self.assertTrue(order.loyalty_otp_proof)
        self.assertFalse(order.loyalty_otp_unconfirmed)
        challenge = self.env["loyalty.otp.challenge"].search(
            [("partner_id", "=", self.member.id)]
        )
        # the proof the till sent is the one the right code earned, consumed
        # by this order, after one wrong try
        self.assertEqual(challenge.order_id, order)
        self.assertEqual(challenge.amount, 150000)
        self.assertEqual(challenge.attempts, 1)
        self.assertFalse(challenge._loyalty_proof_challenge(order.loyalty_otp_proof))
        self.assertTrue(order.loyalty_otp_proof.startswith(f"{challenge.id}:"))
        self.assertBalances(self.member, wallet=0, company=self.company)
