# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tests import tagged

from .common import LoyaltySmsCommon

# Answers recorded from each provider's public API documentation.
KAVENEGAR_SUCCESS = {
    "return": {"status": 200, "message": "تایید شد"},
    "entries": [
        {
            "messageid": 8792343,
            "message": "خدمات پیام کوتاه کاوه نگار",
            "status": 1,
            "statustext": "در صف ارسال",
            "sender": "10004346",
            "receptor": "09123456789",
            "date": 1356619709,
            "cost": 120,
        }
    ],
}
KAVENEGAR_ERROR = {
    "return": {"status": 418, "message": "اعتبار حساب شما کافی نیست"},
    "entries": None,
}
SMSIR_SUCCESS = {
    "status": 1,
    "message": "موفق",
    "data": {
        "packId": "0b1c4d3e-8a9f-4e8b-9d2a-6f3c1e2b4a5d",
        "messageIds": [98765431],
        "cost": 1.0,
    },
}
SMSIR_ERROR = {"status": 101, "message": "شماره خط نامعتبر میباشد", "data": None}
NETGSM_SUCCESS = {
    "code": "00",
    "jobid": "17377215342605050417149344",
    "description": "queued",
}
NETGSM_ERROR = {
    "code": "30",
    "description": "Invalid username, password or no API access",
}
TWILIO_SUCCESS = {
    "account_sid": "AC" + "a" * 32,
    "api_version": "2010-04-01",
    "body": "Hello",
    "direction": "outbound-api",
    "error_code": None,
    "error_message": None,
    "from": "+15557122661",
    "num_segments": "1",
    "sid": "SM" + "b" * 32,
    "status": "queued",
    "to": "+989123456789",
}
TWILIO_ERROR = {
    "code": 21211,
    "message": "Invalid 'To' Phone Number: +98912345678",
    "more_info": "https://www.twilio.com/docs/errors/21211",
    "status": 400,
}


@tagged("post_install", "-at_install")
class TestProviders(LoyaltySmsCommon):
    def use_provider(self, provider, **values):
        self.configure_gateway(
            **{
                "provider": provider,
                "endpoint_url": self.sink.url,
                "sender": "10004346",
                **values,
            }
        )

    def send(self, body="Hello"):
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "partner_id": self.member.id,
                    "number": self.member.phone,
                    "body": body,
                }
            )
        )
        # What Odoo does to send right away (the composer's "send now"): as
        # superuser, like every sending of sms.sms in core.
        sms.send(unlink_sent=False)
        return sms

    def answer(self, status, payload):
        self.sink.responder = lambda request: (status, payload, 0)

    def test_kavenegar_request_and_answers(self):
        self.use_provider("kavenegar", api_key="KAVE-KEY")
        self.answer(200, KAVENEGAR_SUCCESS)
        sms = self.send()
        request = self.sink.requests[-1]
        self.assertEqual(request["method"], "POST")
        self.assertEqual(request["path"], "/v1/KAVE-KEY/sms/send.json")
        self.assertEqual(
            request["body"],
            {
                "receptor": "09123456789",
                "message": "Hello",
                "sender": "10004346",
                "localid": sms.uuid,
            },
        )
        self.assertEqual(sms.state, "pending")
        self.assertEqual(sms.loyalty_provider_ref, "8792343")

        self.answer(418, KAVENEGAR_ERROR)
        sms = self.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_credit"))
        self.assertIn("اعتبار حساب شما کافی نیست", sms.loyalty_failure_reason)

    def test_smsir_request_and_answers(self):
        self.use_provider("smsir", api_key="SMSIR-KEY", sender="30007732000000")
        self.answer(200, SMSIR_SUCCESS)
        sms = self.send()
        request = self.sink.requests[-1]
        self.assertEqual(request["path"], "/v1/send/bulk")
        self.assertEqual(request["headers"]["x-api-key"], "SMSIR-KEY")
        self.assertEqual(
            request["body"],
            {
                "lineNumber": 30007732000000,
                "messageText": "Hello",
                "mobiles": ["09123456789"],
                "sendDateTime": None,
            },
        )
        self.assertEqual((sms.state, sms.loyalty_provider_ref), ("pending", "98765431"))

        # A logical error, even inside an HTTP 200, fails the message.
        self.answer(200, SMSIR_ERROR)
        sms = self.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "unknown"))
        self.assertIn("شماره خط نامعتبر", sms.loyalty_failure_reason)

    def test_netgsm_request_and_answers(self):
        self.use_provider(
            "netgsm", username="8503020000", api_key="NETGSM-PASS", sender="SHOP"
        )
        self.answer(200, NETGSM_SUCCESS)
        sms = self.send()
        request = self.sink.requests[-1]
        self.assertEqual(request["path"], "/sms/rest/v2/send")
        expected_auth = base64.b64encode(b"8503020000:NETGSM-PASS").decode()
        self.assertEqual(request["headers"]["Authorization"], f"Basic {expected_auth}")
        self.assertEqual(
            request["body"],
            {
                "msgheader": "SHOP",
                "encoding": "TR",
                "messages": [{"msg": "Hello", "no": "00989123456789"}],
            },
        )
        self.assertEqual(
            (sms.state, sms.loyalty_provider_ref),
            ("pending", "17377215342605050417149344"),
        )

        self.answer(200, NETGSM_ERROR)
        sms = self.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_acc"))
        self.assertIn("Netgsm 30", sms.loyalty_failure_reason)

    def test_twilio_request_and_answers(self):
        account = "AC" + "a" * 32
        self.use_provider(
            "twilio", username=account, api_key="TWILIO-TOKEN", sender="+15557122661"
        )
        self.answer(201, TWILIO_SUCCESS)
        sms = self.send()
        request = self.sink.requests[-1]
        self.assertEqual(
            request["path"], f"/2010-04-01/Accounts/{account}/Messages.json"
        )
        expected_auth = base64.b64encode(f"{account}:TWILIO-TOKEN".encode()).decode()
        self.assertEqual(request["headers"]["Authorization"], f"Basic {expected_auth}")
        self.assertEqual(request["body"]["To"], "+989123456789")
        self.assertEqual(request["body"]["From"], "+15557122661")
        self.assertEqual(request["body"]["Body"], "Hello")
        self.assertTrue(
            request["body"]["StatusCallback"].endswith(
                f"/loyalty_sms/status/twilio/{self.gateway.id}"
            )
        )
        self.assertEqual(
            (sms.state, sms.loyalty_provider_ref), ("pending", "SM" + "b" * 32)
        )

        self.answer(400, TWILIO_ERROR)
        sms = self.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_format"))
        self.assertIn("21211", sms.loyalty_failure_reason)

    def test_http_error_answer_fails_the_message(self):
        self.answer(401, {"error": "bad token"})
        sms = self.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_acc"))
        self.assertIn("bad token", sms.loyalty_failure_reason)

    def test_test_button_sends_right_away(self):
        gateway = self.gateway.with_user(self.sysadmin)
        gateway.test_number = "+98 912 000 1122"
        action = gateway.action_send_test_sms()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.sink.requests[-1]["body"]["to"], "+989120001122")
