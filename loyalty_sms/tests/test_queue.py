# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import collections
import threading
import time
from contextlib import contextmanager
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.loyalty_sms.models.sms_sms import SmsSms

from .common import LoyaltySmsCommon


class WorkerKilled(BaseException):
    """What the worker's time limit does to a run: it stops wherever it is."""


@tagged("post_install", "-at_install")
class TestQueue(LoyaltySmsCommon):
    """The queue against a gateway that answers like a real one: in 300 ms."""

    def setUp(self):
        super().setUp()
        self.sink.responder = lambda request: (200, {"status": "ok"}, 0.3)

    def queue(self, count):
        return (
            self.env["sms.sms"]
            .sudo()
            .create(
                [
                    {
                        "number": f"+98912{n:07d}",
                        "body": f"Message {n}",
                        "loyalty_company_id": self.company.id,
                    }
                    for n in range(count)
                ]
            )
        )

    @contextmanager
    def committing(self):
        """Let the queue commit as the cron does; a commit is a savepoint
        here, and :meth:`die` goes back to the last one, losing what was not
        committed, as a killed worker does."""
        cr = self.env.cr

        def commit(model, processed=0, **kwargs):
            model.env.flush_all()
            cr.execute(SQL("SAVEPOINT loyalty_sms_commit"))
            return float("inf")

        cr.execute(SQL("SAVEPOINT loyalty_sms_commit"))
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit):
            yield

    def die(self):
        self.env.cr.execute(SQL("ROLLBACK TO SAVEPOINT loyalty_sms_commit"))
        self.env.clear()

    def run_queue(self, budget):
        """One run of the queue cron, limited to ``budget`` seconds of taking
        messages; :return: how long it lasted."""
        started = time.monotonic()
        with patch.object(SmsSms, "_loyalty_time_budget", return_value=budget):
            self.run_cron("sms.ir_cron_sms_scheduler_action")
        return time.monotonic() - started

    def delivered(self, sms):
        return [self.sink.delivered.get(uuid) for uuid in sms.mapped("uuid")]

    def test_600_messages_drain_in_short_runs(self):
        sms = self.queue(600)
        durations = []
        with self.committing():
            outgoing = self.queued_sms().filtered(lambda s: s.state == "outgoing")
            waits = 0
            while outgoing:
                # How many runs depends on the machine's load; a run sends
                # something unless what is left waits for its retry (a slow
                # answer on a loaded machine): then the wait is skipped, a
                # few times at most.
                durations.append(self.run_queue(budget=2))
                left = self.queued_sms().filtered(lambda s: s.state == "outgoing")
                if len(left) == len(outgoing):
                    waiting = left.filtered("loyalty_next_try")
                    self.assertTrue(waiting, "a run with nothing to wait for sends")
                    waits += 1
                    self.assertLess(waits, 5, "the queue drains")
                    waiting.loyalty_next_try = False
                outgoing = left
        self.assertGreater(len(durations), 1, "several short runs, not one long one")
        self.assertLess(max(durations), 30)
        self.assertTrue(all(self.delivered(sms)), "every message delivered")
        references = collections.Counter(
            request["body"]["reference"] for request in self.sink.requests
        )
        self.assertEqual(set(references.values()), {1}, "each sent exactly once")
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertFalse(any(sms.mapped("loyalty_sending_since")))

    def test_run_killed_mid_batch_delivers_each_message_once(self):
        sms = self.queue(600)
        record = SmsSms._loyalty_record_answers
        flushes = []

        def killed_at_third_flush(model, answers):
            flushes.append(len(answers))
            if len(flushes) == 3:
                raise WorkerKilled()
            return record(model, answers)

        with self.committing():
            # Not assertRaises: it would roll the run back to its own savepoint.
            killed = False
            try:
                with patch.object(
                    SmsSms, "_loyalty_record_answers", killed_at_third_flush
                ):
                    self.run_queue(budget=20)
            except WorkerKilled:
                killed = True
            self.assertTrue(killed, "the run was killed at its third commit")
            self.die()
            sending = sms.filtered("loyalty_sending_since")
            answered = sms.filtered(lambda s: s.state == "pending")
            self.assertTrue(sending, "the run died with messages in flight")
            self.assertTrue(answered, "what was answered before is committed")
            before = len(self.sink.requests)
            while self.queued_sms().filtered(lambda s: s.state == "outgoing"):
                self.assertLess(self.run_queue(budget=2), 30)
        self.assertTrue(all(self.delivered(sms)), "every message delivered")
        references = collections.Counter(
            request["body"]["reference"] for request in self.sink.requests
        )
        resent = {ref for ref, count in references.items() if count > 1}
        self.assertLessEqual(
            resent,
            set(sending.mapped("uuid")),
            "only messages whose answer was lost are sent again",
        )
        self.assertFalse(
            set(answered.mapped("uuid"))
            & {request["body"]["reference"] for request in self.sink.requests[before:]},
            "a message whose answer was committed is never sent again",
        )
        self.assertEqual(set(sms.mapped("state")), {"pending"})

    def test_interrupted_message_without_reference_is_not_resent(self):
        self.configure_gateway(provider="netgsm", endpoint_url=self.sink.url)
        sms = self.queue(1)
        sms.loyalty_sending_since = fields.Datetime.now()
        self.run_sms_queue()
        self.assertFalse(self.sink.requests, "Netgsm has no client reference")
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertIn("may have been delivered", sms.loyalty_failure_reason)

    def test_interrupted_message_with_reference_is_resent_once(self):
        sms = self.queue(1)
        sms.loyalty_sending_since = fields.Datetime.now()
        self.run_sms_queue()
        self.assertEqual(
            [request["body"]["reference"] for request in self.sink.requests],
            [sms.uuid],
            "the same reference: the gateway drops it if it already has it",
        )
        self.assertEqual(sms.state, "pending")

    def test_requests_in_flight_are_bounded_per_gateway(self):
        self.configure_gateway(max_in_flight=5)
        active, peak, lock = [0], [0], threading.Lock()

        def counting(request):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.1)
            with lock:
                active[0] -= 1
            return 200, {"status": "ok"}, 0

        self.sink.responder = counting
        sms = self.queue(30)
        self.run_sms_queue()
        self.assertTrue(all(self.delivered(sms)))
        self.assertEqual(peak[0], 5)

    def test_rate_limit_paces_the_requests(self):
        self.sink.responder = lambda request: (200, {"status": "ok"}, 0)
        self.configure_gateway(rate_limit=10)
        sms = self.queue(11)
        started = time.monotonic()
        self.run_sms_queue()
        self.assertGreaterEqual(time.monotonic() - started, 1.0, "10 per second")
        self.assertTrue(all(self.delivered(sms)))
