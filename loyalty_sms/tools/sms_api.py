# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from odoo.addons.sms.tools.sms_api import SmsApiBase


class LoyaltySmsDispatcher:
    """Sends the messages of one gateway in parallel, outside of the ORM.

    - at most ``max_in_flight`` requests at once (one worker thread each);
    - each thread keeps its own ``requests.Session`` (a pooled keep-alive
      connection: no TCP/TLS handshake per message);
    - requests start at most ``rate_limit`` times per second (0 = no limit),
      the cap providers put on an account.

    Threads only do HTTP through the provider adapter (plain settings, no
    cursor); the caller writes the results.
    """

    def __init__(self, provider, max_in_flight=1, rate_limit=0.0, not_after=None):
        """:param not_after: ``time.monotonic()`` after which no request
        starts any more: the message is answered ``loyalty_not_sent``."""
        self.provider = provider
        self.not_after = not_after
        self.max_in_flight = max(int(max_in_flight or 1), 1)
        self._interval = 1.0 / rate_limit if rate_limit and rate_limit > 0 else 0.0
        self._next_start = 0.0
        self._lock = threading.Lock()
        self._local = threading.local()
        self._sessions = []
        self._executor = ThreadPoolExecutor(
            max_workers=self.max_in_flight, thread_name_prefix="loyalty_sms"
        )

    def submit(self, number, body, reference, marketing=False):
        """Queue one message; the future's result is the adapter's dict."""
        return self._executor.submit(self._send, number, body, reference, marketing)

    def close(self):
        """Wait for the requests in flight, then close the connections."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _send(self, number, body, reference, marketing):
        if not self._wait_for_slot():
            return {"state": "loyalty_not_sent"}
        return self.provider.send(
            self._session(), number, body, reference, marketing=marketing
        )

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            with self._lock:
                self._sessions.append(session)
        return session

    def _wait_for_slot(self):
        """Wait for this request's turn under the rate limit; False when the
        turn comes after ``not_after``."""
        now = time.monotonic()
        start = now
        if self._interval:
            with self._lock:
                start = max(now, self._next_start)
                if self.not_after is not None and start > self.not_after:
                    return False
                self._next_start = start + self._interval
        if self.not_after is not None and start > self.not_after:
            return False
        if start > now:
            time.sleep(start - now)
        return True


class LoyaltySmsApi(SmsApiBase):
    """Odoo's SMS API (the hook ``sms_twilio`` uses) over a
    ``loyalty.sms.gateway``: ``sms.sms`` hands it batches, it answers one
    result per message.

    Messages the gateway could not take *now* (unreachable, rate limit, HTTP
    502/503, or a lost answer from a provider that deduplicates) are not
    answered: they are kept in :attr:`transient_results` and ``sms.sms``
    schedules their retry, so they stay in the queue.

    With ``known_results`` (uuid -> result), nothing is sent: the queue has
    already sent the messages in parallel and only lets core write what the
    provider answered (states, trackers, notifications).
    """

    PROVIDER_TO_SMS_FAILURE_TYPE = SmsApiBase.PROVIDER_TO_SMS_FAILURE_TYPE | {
        "insufficient_credit": "sms_credit",
        "unregistered": "sms_acc",
        "country_not_supported": "sms_country_not_supported",
        "duplicate_message": "sms_duplicate",
        "loyalty_uncertain": "sms_server",
    }

    def __init__(self, env, account=None, known_results=None):
        super().__init__(env, account=account)
        self.transient_results = []
        self.known_results = known_results

    @property
    def gateway(self):
        return self.company._loyalty_sms_gateway()

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        if self.known_results is not None:
            answers = self.known_results
        else:
            answers = self._send_now(messages)
        results = []
        for message in messages:
            for number in message.get("numbers") or []:
                result = dict(answers[number["uuid"]], uuid=number["uuid"])
                if result.pop("transient", False):
                    self.transient_results.append(result)
                else:
                    results.append(result)
        return results

    def _send_now(self, messages):
        """Send a batch outside of the queue (composer, test, codes): in
        parallel, in the caller's transaction."""
        marketing = set(self.env.context.get("loyalty_sms_marketing_uuids") or ())
        with self.gateway._loyalty_dispatcher() as dispatcher:
            futures = {
                number["uuid"]: dispatcher.submit(
                    number["number"],
                    message.get("content") or "",
                    number["uuid"],
                    marketing=number["uuid"] in marketing,
                )
                for message in messages
                for number in message.get("numbers") or []
            }
            return {uuid: future.result() for uuid, future in futures.items()}
