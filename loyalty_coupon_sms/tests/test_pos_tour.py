# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.loyalty_coupon.tests.common import COUPON_SETTINGS
from odoo.addons.loyalty_sms.models import loyalty_otp_challenge
from odoo.addons.loyalty_sms.tests.common import SmsSink
from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

# What the tour types: the code is drawn from a patched generator, so the
# browser can know it; the test still checks the customer's SMS carried it.
CODE = 246813


@tagged("post_install", "-at_install")
class TestConversionOtpInPos(LedgerAssertions, TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.sink = SmsSink()
        cls.addClassCleanup(cls.sink.close)
        gateway = cls.env["loyalty.sms.gateway"].create(
            {
                "name": "Tour sink",
                "provider": "http",
                "endpoint_url": f"{cls.sink.url}/sms",
                "api_key": "secret-token",
                "sender": "SHOP",
                "company_id": cls.env.company.id,
            }
        )
        cls.env.company.write(
            {
                **COUPON_SETTINGS,
                "loyalty_sms_gateway_id": gateway.id,
                "loyalty_otp_threshold": 100000,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Coupon Customer",
                "phone": "+98 912 345 6789",
                "country_id": cls.env.ref("base.ir").id,
            }
        )
        cls.customer._loyalty_enroll()
        cls.customer._loyalty_earn("points", 150, description="opening points")

    def test_cashier_converts_with_the_customers_code(self):
        with patch.object(
            loyalty_otp_challenge.secrets, "randbelow", return_value=CODE
        ):
            self.start_pos_tour("LoyaltyCouponSmsConvertTour")
        self.assertEqual(len(self.sink.requests), 1)
        self.assertEqual(self.sink.requests[0]["body"]["to"], "+989123456789")
        self.assertIn(str(CODE), self.sink.requests[0]["body"]["text"])
        card = self.env["loyalty.card"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("loyalty_conversion_id", "!=", False),
            ]
        )
        self.assertEqual(len(card), 1)
        self.assertEqual(card.points, 12.0)
        # sudo: only Loyalty Managers read codes; the test checks the server's.
        challenge = (
            self.env["loyalty.otp.challenge"]
            .sudo()
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(challenge.loyalty_card_id, card)
        self.assertEqual(challenge.amount, 12.0)
        self.assertEqual(challenge.attempts, 1)
        self.assertBalances(self.customer, points=30)
