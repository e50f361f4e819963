# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.loyalty_wallet.tests.common import LoyaltyPosCommon


class RecordingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per answer

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type = self.headers.get("Content-Type") or ""
        if "json" in content_type:
            body = json.loads(raw or b"null")
        else:
            body = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        request = {
            "method": "POST",
            "path": urlsplit(self.path).path,
            "headers": dict(self.headers.items()),
            "body": body,
        }
        status, payload, delay, *headers = self.server.sink.answer(request)
        if delay:
            time.sleep(delay)
        data = (
            payload.encode()
            if isinstance(payload, str)
            else json.dumps(payload).encode()
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers[0] if headers else {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return


class SmsSink:
    """A local HTTP server on 127.0.0.1 (random port) that records every
    request and answers what the test says (``responder``: status, payload,
    delay in seconds and optionally headers). Like a provider honouring
    client references, it delivers a ``reference`` only once."""

    def __init__(self, port=0):
        self.requests = []
        self.delivered = {}
        self.lock = threading.Lock()
        self.responder = lambda request: (200, {"status": "ok"}, 0)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), RecordingHandler)
        self.server.daemon_threads = True
        self.server.sink = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, request):
        answer = self.responder(request)
        status = answer[0]
        with self.lock:
            self.requests.append(request)
            reference = isinstance(request["body"], dict) and request["body"].get(
                "reference"
            )
            if 200 <= status < 300 and reference:
                self.delivered.setdefault(reference, request)
        return answer

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class LoyaltySmsCommon(LoyaltyPosCommon):
    """The POS shop of the ledger tests, texting its members through a
    generic HTTP gateway that points at a local recording server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not getattr(cls, "loyalty_manager", None):
            cls.create_role_users()
        # Gateways and their secrets are the Settings administrator's.
        cls.sysadmin = new_test_user(
            cls.env,
            login="ls_common_sysadmin",
            groups="base.group_user,base.group_system",
            company_id=cls.company.id,
        )
        cls.sink = SmsSink()
        cls.addClassCleanup(cls.sink.close)
        cls.gateway = cls.env["loyalty.sms.gateway"].create(
            {
                "name": "Test sink",
                "provider": "http",
                "endpoint_url": f"{cls.sink.url}/sms",
                "api_key": "secret-token",
                "sender": "SHOP",
                "company_id": cls.company.id,
            }
        )
        cls.company.loyalty_sms_gateway_id = cls.gateway
        cls.company.country_id = cls.env.ref("base.ir")
        cls.rule_earn = cls.env["loyalty.sms.rule"].create(
            {
                "event": "earn",
                "template_id": cls.env.ref("loyalty_sms.sms_template_loyalty_earn").id,
                "company_id": cls.company.id,
            }
        )
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(["loyalty_sms"], ["fa_IR"])
        cls.member.write(
            {
                "name": "علی احمدی",
                "phone": "0912 345 6789",
                "lang": "fa_IR",
                "tz": "Asia/Tehran",
            }
        )

    def setUp(self):
        super().setUp()
        self.sink.requests.clear()
        self.sink.delivered.clear()
        self.sink.responder = lambda request: (200, {"status": "ok"}, 0)

    def sync_orders(self, *orders_data):
        """The orders as the cashier's till syncs them: every sale and refund
        of these tests is the cashier's."""
        for data in orders_data:
            data["user_id"] = self.cashier.id
        self.env["pos.order"].with_user(self.cashier).sync_from_ui(list(orders_data))
        uuids = [data["uuid"] for data in orders_data]
        return self.env["pos.order"].search([("uuid", "in", uuids)])

    def configure_gateway(self, **values):
        """The Settings administrator edits the gateway (provider, secrets,
        limits)."""
        self.gateway.with_user(self.sysadmin).write(values)

    def run_cron(self, xmlid):
        """What Odoo's scheduler does with the scheduled action ``xmlid``
        (``ir.cron._callback``): run its server action as the cron's own user
        (OdooBot, the superuser: the SMS queue sends every app's and every
        company's messages), here in the test's transaction instead of its
        own."""
        cron = self.env.ref(xmlid)
        cron.ir_actions_server_id.with_user(cron.user_id).run()

    def queued_sms(self, partner=None):
        domain = [("loyalty_company_id", "=", self.company.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        # sudo: the queue holds other apps' messages too (a Loyalty Manager
        # reads only the club's); the tests look at all of them.
        return self.env["sms.sms"].sudo().search(domain, order="id")

    def run_sms_queue(self):
        """A run of Odoo's SMS queue cron (``sms.sms._process_queue``),
        without its commit, which a test cannot do."""
        cron_class = type(self.env["ir.cron"])
        with patch.object(cron_class, "_commit_progress", lambda *args, **kwargs: 0):
            self.run_cron("sms.ir_cron_sms_scheduler_action")

    @contextmanager
    def later(self, seconds):
        """Run the block as if ``seconds`` had passed (retry delays)."""
        moment = fields.Datetime.now() + timedelta(seconds=seconds)
        with patch.object(fields.Datetime, "now", return_value=moment):
            yield
