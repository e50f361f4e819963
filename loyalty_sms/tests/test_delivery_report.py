# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions


@tagged("post_install", "-at_install")
class TestDeliveryReport(LedgerAssertions, HttpCase):
    """Delivery reports as the provider posts them: over HTTP, with no Odoo
    session (the webhook is public; its signature or token is the only
    credential)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls.env["loyalty.sms.gateway"].create(
            {
                "name": "Twilio",
                "provider": "twilio",
                "username": "AC" + "a" * 32,
                "api_key": "TWILIO-TOKEN",
                "sender": "+15557122661",
            }
        )
        cls.http_gateway = cls.env["loyalty.sms.gateway"].create(
            {
                "name": "Relay",
                "provider": "http",
                "endpoint_url": "http://127.0.0.1:9/sms",
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)  # the provider: no Odoo login

    def make_sms(self, **values):
        return self.env["sms.sms"].create(
            {"number": "+989123456789", "body": "Hi", "state": "pending", **values}
        )

    def post(self, url, data, headers=None):
        return self.url_open(
            url, data=data, headers=headers or {}, allow_redirects=False
        )

    def test_twilio_signed_report_marks_delivered(self):
        sms = self.make_sms(loyalty_provider_ref="SM" + "b" * 32)
        params = {
            "MessageSid": "SM" + "b" * 32,
            "MessageStatus": "delivered",
            "To": "+989123456789",
        }
        url = self.gateway._loyalty_status_url()
        signature = self.gateway._loyalty_provider().signature(url, params)
        path = f"/loyalty_sms/status/twilio/{self.gateway.id}"
        response = self.post(path, params, {"X-Twilio-Signature": signature})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(sms.state, "sent")

    def test_twilio_unsigned_or_forged_report_is_rejected(self):
        sms = self.make_sms(loyalty_provider_ref="SM" + "c" * 32)
        params = {"MessageSid": "SM" + "c" * 32, "MessageStatus": "failed"}
        path = f"/loyalty_sms/status/twilio/{self.gateway.id}"
        self.assertEqual(self.post(path, params).status_code, 403)
        forged = self.post(path, params, {"X-Twilio-Signature": "Zm9yZ2Vk"})
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(sms.state, "pending")

    def test_unknown_gateway_is_rejected(self):
        self.assertEqual(
            self.post("/loyalty_sms/status/twilio/999999", {}).status_code, 403
        )
        wrong_provider = f"/loyalty_sms/status/kavenegar/{self.gateway.id}"
        self.assertEqual(self.post(wrong_provider, {}).status_code, 403)

    def test_http_report_needs_the_token(self):
        sms = self.make_sms()
        path = f"/loyalty_sms/status/http/{self.http_gateway.id}"
        data = {"reference": sms.uuid, "status": "failed"}
        self.assertEqual(self.post(path, data).status_code, 403)
        self.assertEqual(self.post(f"{path}?token=wrong", data).status_code, 403)
        token = self.http_gateway.callback_token
        self.assertEqual(self.post(f"{path}?token={token}", data).status_code, 200)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_not_delivered"))
