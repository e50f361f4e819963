# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import socket

from odoo.tests import tagged

from .common import LoyaltySmsCommon, SmsSink


@tagged("post_install", "-at_install")
class TestRetry(LoyaltySmsCommon):
    def sell(self):
        order = self.pos_sale(self.member, 1000)
        self.assertEqual(
            order.state, "paid", "the sale goes through whatever the gateway does"
        )
        self.assertBalances(self.member, wallet=100)
        return self.queued_sms(self.member)

    def assert_waiting(self, sms, attempts):
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(sms.loyalty_retry_count, attempts)
        self.assertTrue(sms.loyalty_next_try)
        self.assertTrue(sms.loyalty_failure_reason)

    def test_connection_refused_then_back(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.configure_gateway(endpoint_url=f"http://127.0.0.1:{port}/sms")
        sms = self.sell()
        self.run_sms_queue()
        self.assert_waiting(sms, 1)

        sink = SmsSink(port=port)
        self.addCleanup(sink.close)
        self.run_sms_queue()  # not due yet: the backoff holds it
        self.assertFalse(sink.requests)
        with self.later(61):
            self.run_sms_queue()
        self.assertEqual(len(sink.requests), 1)
        self.assertEqual(sms.state, "pending")
        with self.later(3600):
            self.run_sms_queue()
        self.assertEqual(len(sink.requests), 1, "sent once")

    def test_timeout_retry_is_deduplicated_by_reference(self):
        # Odoo's test runner raises request timeouts below 10 s to 10 s: the
        # first answer comes after 10.5 s (the provider took the message).
        self.configure_gateway(timeout=1)
        answers = iter([(200, {"status": "ok"}, 10.5)])
        self.sink.responder = lambda request: next(answers, (200, {"status": "ok"}, 0))
        sms = self.sell()
        self.run_sms_queue()
        self.assert_waiting(sms, 1)
        with self.later(61):
            self.run_sms_queue()
        self.assertEqual(sms.state, "pending")
        self.assertEqual(len(self.sink.requests), 2)
        self.assertEqual(
            {request["body"]["reference"] for request in self.sink.requests}, {sms.uuid}
        )
        self.assertEqual(len(self.sink.delivered), 1, "the provider delivers it once")

    def test_http_500_then_back(self):
        answers = iter([(500, {"error": "boom"}, 0), (503, "down", 0)])
        self.sink.responder = lambda request: next(answers, (200, {"status": "ok"}, 0))
        sms = self.sell()
        self.run_sms_queue()
        self.assert_waiting(sms, 1)
        with self.later(61):
            self.run_sms_queue()
        self.assert_waiting(sms, 2)
        with self.later(61):
            self.run_sms_queue()  # second backoff is 120 s
        self.assertEqual(len(self.sink.requests), 2)
        with self.later(181):
            self.run_sms_queue()
        self.assertEqual(sms.state, "pending")
        self.assertEqual(len(self.sink.delivered), 1)
        with self.later(7200):
            self.run_sms_queue()
        self.assertEqual(len(self.sink.requests), 3, "nothing is sent again")

    def test_gives_up_after_the_limit(self):
        params = self.env["ir.config_parameter"].with_user(self.sysadmin)
        params.set_param("loyalty_sms.max_attempts", 3)
        self.sink.responder = lambda request: (500, {"error": "boom"}, 0)
        sms = self.sell()
        for minutes in (0, 2, 10, 60):
            with self.later(minutes * 60):
                self.run_sms_queue()
        self.assertEqual(len(self.sink.requests), 3)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertIn("3", sms.loyalty_failure_reason)
