# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltySmsCommon


@tagged("post_install", "-at_install")
class TestNumbers(LoyaltySmsCommon):
    def sell_and_send(self, partner):
        order = self.pos_sale(partner, 1000)
        self.assertEqual(order.state, "paid")
        self.run_sms_queue()
        return self.queued_sms(partner)

    def test_invalid_number_fails_without_request(self):
        self.member.phone = "12345"
        sms = self.sell_and_send(self.member)
        self.assertFalse(self.sink.requests)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_format"))
        self.assertIn("12345", sms.loyalty_failure_reason)

    def test_missing_number_fails_without_request(self):
        self.member.phone = False
        sms = self.sell_and_send(self.member)
        self.assertFalse(self.sink.requests)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_missing"))
        self.assertTrue(sms.loyalty_failure_reason)

    def test_blacklisted_number_gets_nothing(self):
        self.env["phone.blacklist"].add("+989123456789")
        sms = self.sell_and_send(self.member)
        self.assertFalse(self.sink.requests)
        self.assertEqual((sms.state, sms.failure_type), ("canceled", "sms_blacklist"))
        self.assertIn("+989123456789", sms.loyalty_failure_reason)

    def test_partner_country_before_company_country(self):
        elif_ = self.env["res.partner"].create(
            {
                "name": "Elif",
                "phone": "0532 123 4567",
                "country_id": self.env.ref("base.tr").id,
            }
        )
        elif_._loyalty_enroll()
        self.sell_and_send(elif_)
        self.assertEqual(self.sink.requests[-1]["body"]["to"], "+905321234567")
