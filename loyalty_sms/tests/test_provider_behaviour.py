# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import socket

from odoo.tests import tagged

from .common import LoyaltySmsCommon

KAVENEGAR_KEY = "4A6B7C2D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B"


@tagged("post_install", "-at_install")
class TestProviderBehaviour(LoyaltySmsCommon):
    """Status codes as the providers really answer them, and secrets that
    never leave the gateway."""

    def use_provider(self, provider, **values):
        self.configure_gateway(
            **{"provider": provider, "endpoint_url": self.sink.url, **values}
        )

    def queue(self, marketing=False, body="Hello"):
        return (
            self.env["sms.sms"]
            .sudo()
            .with_context(loyalty_sms_marketing=marketing)
            .create(
                {
                    "partner_id": self.member.id,
                    "number": self.member.phone,
                    "body": body,
                }
            )
        )

    def answer(self, status, payload):
        self.sink.responder = lambda request: (status, payload, 0)

    def assert_retried_later(self, sms, min_seconds):
        self.assertEqual((sms.state, sms.loyalty_retry_count), ("outgoing", 1))
        waited = (sms.loyalty_next_try - sms.create_date).total_seconds()
        self.assertGreaterEqual(waited, min_seconds - 1)

    # ------------------------------------------------------------------
    # Netgsm
    # ------------------------------------------------------------------

    def test_netgsm_85_is_a_rate_limit_retried_later(self):
        self.use_provider("netgsm", username="8503020000", api_key="NETGSM-PASS")
        self.answer(200, {"code": "85", "description": "duplicate sending limit"})
        sms = self.queue()
        self.run_sms_queue()
        self.assert_retried_later(sms, 60)
        self.assertIn("Netgsm 85", sms.loyalty_failure_reason)

        self.answer(200, {"code": "00", "jobid": "123"})
        with self.later(3600):
            self.run_sms_queue()
        self.assertEqual(sms.state, "pending")

    def test_netgsm_100_and_101_are_system_errors_retried(self):
        self.use_provider("netgsm", username="8503020000", api_key="NETGSM-PASS")
        for code in ("100", "101"):
            self.answer(200, {"code": code, "description": "system error"})
            sms = self.queue()
            self.run_sms_queue()
            self.assertEqual((sms.state, sms.loyalty_retry_count), ("outgoing", 1))
            self.assertIn(f"Netgsm {code}", sms.loyalty_failure_reason)

    def test_netgsm_retries_stop_at_a_final_error(self):
        self.use_provider("netgsm", username="8503020000", api_key="NETGSM-PASS")
        self.answer(200, {"code": "100", "description": "system error"})
        sms = self.queue()
        for hours in range(0, 200, 12):
            with self.later(hours * 3600):
                self.run_sms_queue()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertEqual(sms.loyalty_retry_count, 5)
        self.assertIn("failed 5 times", sms.loyalty_failure_reason)
        self.assertEqual(len(self.sink.requests), 5)

    def test_netgsm_commercial_messages_go_through_the_iys_filter(self):
        self.use_provider("netgsm", username="8503020000", api_key="NETGSM-PASS")
        self.answer(200, {"code": "00", "jobid": "123"})
        self.queue(marketing=True, body="Promo")
        self.queue(marketing=False, body="Receipt")
        self.run_sms_queue()
        # Sent in parallel: told apart by their text, not their order.
        by_text = {
            r["body"]["messages"][0]["msg"]: r["body"] for r in self.sink.requests
        }
        marketing, transactional = by_text["Promo"], by_text["Receipt"]
        self.assertEqual(marketing.get("iysfilter"), "11")
        self.assertNotIn("iysfilter", transactional)

    def test_greetings_are_commercial_and_purchases_are_not(self):
        self.env["loyalty.sms.rule"].create(
            {
                "event": "birthday",
                "template_id": self.env.ref(
                    "loyalty_sms.sms_template_loyalty_birthday"
                ).id,
                "company_id": self.company.id,
            }
        )
        greeting = self.env["loyalty.sms.rule"]._loyalty_queue_event(
            "birthday", self.env["loyalty.transaction"], partner=self.member
        )
        self.pos_sale(self.member, 1000)
        purchase = self.queued_sms(self.member) - greeting
        self.assertTrue(greeting.loyalty_marketing)
        self.assertEqual(purchase.mapped("loyalty_marketing"), [False])

    def test_no_answer_from_a_provider_without_reference_is_final(self):
        # An HTTP 500 may come after the message was taken: Netgsm cannot
        # deduplicate a second request, so none is sent.
        self.use_provider("netgsm", username="8503020000", api_key="NETGSM-PASS")
        self.answer(500, {"code": "internal"})
        sms = self.queue()
        self.run_sms_queue()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertIn("may have been delivered", sms.loyalty_failure_reason)
        with self.later(3600):
            self.run_sms_queue()
        self.assertEqual(len(self.sink.requests), 1)

    def test_http_429_waits_for_retry_after(self):
        self.sink.responder = lambda request: (
            429,
            {"error": "slow down"},
            0,
            {"Retry-After": "900"},
        )
        sms = self.queue()
        self.run_sms_queue()
        self.assert_retried_later(sms, 900)

    # ------------------------------------------------------------------
    # Secrets
    # ------------------------------------------------------------------

    def scan_records(self, secret):
        """Every place a failure is written: the message, its notification,
        the server log table."""
        found = []
        for model, fnames in (
            ("sms.sms", ["loyalty_failure_reason", "body"]),
            ("mail.notification", ["failure_reason"]),
            ("ir.logging", ["message"]),
        ):
            for fname in fnames:
                records = self.env[model].sudo().search([(fname, "ilike", secret)])
                found += [f"{model}.{fname}: {r.id}" for r in records]
        return found

    def test_kavenegar_key_never_in_logs_nor_records(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.use_provider(
            "kavenegar", api_key=KAVENEGAR_KEY, endpoint_url=f"http://127.0.0.1:{port}"
        )
        with self.assertLogs(level=logging.DEBUG) as logs:
            refused = self.queue()
            self.run_sms_queue()  # connection refused: the URL is in the error
            self.configure_gateway(endpoint_url=self.sink.url)
            self.answer(500, {"return": {"status": 500}})
            failed = self.queue()
            self.run_sms_queue()
            self.answer(200, {"return": {"status": 403, "message": "bad key"}})
            rejected = self.queue()
            self.run_sms_queue()
            gateway = self.gateway.with_user(self.sysadmin)
            gateway.test_number = "+98 912 000 1122"
            action = gateway.action_send_test_sms()
            logging.getLogger(__name__).info("end of the scan")
        self.assertIn(f"/v1/{KAVENEGAR_KEY}/sms", self.sink.requests[0]["path"])
        self.assertTrue(refused.loyalty_failure_reason)
        self.assertTrue(failed.loyalty_failure_reason)
        self.assertEqual(rejected.state, "error")
        self.assertIn("***", refused.loyalty_failure_reason)
        leaks = [line for line in logs.output if KAVENEGAR_KEY in line]
        self.assertFalse(leaks, "the key appears in the logs")
        self.assertNotIn(KAVENEGAR_KEY, str(action))
        self.assertFalse(self.scan_records(KAVENEGAR_KEY), "the key is stored")

    def test_every_provider_secret_is_masked(self):
        secrets = {
            "http": "HTTP-BEARER-SECRET",
            "smsir": "SMSIR-KEY-SECRET",
            "netgsm": "NETGSM-PASSWORD-SECRET",
            "twilio": "TWILIO-TOKEN-SECRET",
        }
        for provider, secret in secrets.items():
            self.use_provider(provider, api_key=secret, username="AC123")
            # The provider echoes the credentials it refuses.
            self.answer(401, {"message": f"invalid credentials {secret}"})
            with self.assertLogs(level=logging.DEBUG) as logs:
                sms = self.queue()
                self.run_sms_queue()
                logging.getLogger(__name__).info("end of %s", provider)
            self.assertEqual(sms.state, "error", provider)
            self.assertNotIn(secret, sms.loyalty_failure_reason or "", provider)
            self.assertFalse([line for line in logs.output if secret in line])
            self.assertFalse(self.scan_records(secret), provider)
