#!/usr/bin/env python3
# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Throughput of the SMS queue through the generic HTTP gateway.

Queues COUNT messages, runs the SMS queue cron's method until the queue is
empty, against a local recording server on 127.0.0.1 (random port) that
answers each request after LATENCY seconds (300 ms: a real gateway across the
internet), and prints messages per second, the longest queue run, duplicates
and losses. It commits into the database given: use a throw-away copy of a
database with loyalty_sms installed.

    python3 loyalty_sms/tests/benchmarks/bench_sms_queue.py -d ls_bench \\
        --db_host=127.0.0.1 --db_user=odoo --addons-path=/work/main \\
        [--count 10000] [--latency 0.3]
"""

import argparse
import collections
import json
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without TCP_NODELAY, Nagle's
    # algorithm and the client's delayed ACK add ~40 ms to every answer.
    disable_nagle_algorithm = True

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.server.latency:
            time.sleep(self.server.latency)
        with self.server.lock:
            self.server.references[body["reference"]] += 1
        payload = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        with self.server.lock:
            payload = json.dumps(dict(self.server.references)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return


def serve_sink(latency):
    """The sink's own process: prints its port, serves until killed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.request_queue_size = 256
    server.latency = latency
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.references = collections.Counter()
    print(server.server_address[1], flush=True)
    server.serve_forever()


class Sink:
    """A gateway in a process of its own (as a real one is: it must not
    share the queue's interpreter lock) that answers after ``latency`` s."""

    def __init__(self, latency=0.0):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--sink", "--latency", str(latency)],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self.process.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}/sms"

    @property
    def references(self):
        """{reference: times received}"""
        with urllib.request.urlopen(f"{self.url}/counts", timeout=10) as answer:
            return collections.Counter(json.loads(answer.read()))

    def shutdown(self):
        self.process.kill()
        self.process.wait()


def start_sink(latency=0.0):
    return Sink(latency)


def run(registry, count, latency=0.3):
    """Queue ``count`` SMS and send them all through the generic gateway to a
    local sink answering in ``latency`` seconds; return ``(seconds,
    duplicates, losses, states, longest run in seconds)``."""
    sink = start_sink(latency)
    url = sink.url
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        gateway = env["loyalty.sms.gateway"].create(
            {
                "name": "Benchmark sink",
                "provider": "http",
                "endpoint_url": url,
                "company_id": company.id,
            }
        )
        previous_gateway = company.loyalty_sms_gateway_id
        company.loyalty_sms_gateway_id = gateway
        env["sms.sms"].search([("state", "=", "outgoing")]).write({"state": "canceled"})
        sms = env["sms.sms"].create(
            [
                {
                    "number": f"+98912{n:07d}",
                    "body": f"Benchmark message {n}",
                    "loyalty_company_id": company.id,
                }
                for n in range(count)
            ]
        )
        uuids = set(sms.mapped("uuid"))
        cr.commit()

    started = time.monotonic()
    runs = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        while env["sms.sms"].search_count([("state", "=", "outgoing")]):
            run_started = time.monotonic()
            env["sms.sms"]._process_queue()  # commits as it goes, like the cron
            cr.commit()
            runs.append(time.monotonic() - run_started)
    elapsed = time.monotonic() - started

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        states = collections.Counter(
            env["sms.sms"].search([("uuid", "in", list(uuids))]).mapped("state")
        )
        company = env.ref("base.main_company")
        company.loyalty_sms_gateway_id = previous_gateway
        env["sms.sms"].search([("uuid", "in", list(uuids))]).unlink()
        env["loyalty.sms.gateway"].browse(gateway.id).unlink()
        cr.commit()

    received = sink.references
    duplicates = sum(count - 1 for count in received.values() if count > 1)
    losses = len(uuids - set(received))
    sink.shutdown()
    return elapsed, duplicates, losses, dict(states), max(runs, default=0.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--sink", action="store_true", help=argparse.SUPPRESS)
    args, odoo_args = parser.parse_known_args(argv)
    if args.sink:
        return serve_sink(args.latency)
    config.parse_config(odoo_args)
    db_name = config["db_name"]
    registry = Registry(db_name[0] if isinstance(db_name, list) else db_name)
    elapsed, duplicates, losses, states, longest = run(
        registry, args.count, args.latency
    )
    rate = args.count / elapsed
    print(f"messages: {args.count}, sent in {elapsed:.1f} s: {rate:.0f} msg/s")
    print(f"longest queue run: {longest:.1f} s")
    print(f"duplicates: {duplicates}, losses: {losses}, states: {states}")
    return 0 if not duplicates and not losses and longest < 30 else 1


if __name__ == "__main__":
    sys.exit(main())
