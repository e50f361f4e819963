#!/usr/bin/env python3
# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A tiny SMS sink for the demo and for manual tests of the SMS gateways.

Listens on 127.0.0.1 only, accepts a POST on any path, appends the request as one
JSON line (time, path, headers, body) to a log file, prints it, and answers 200
``{"status": "ok", "id": "<uuid>"}``. Standard library only; it never forwards
anything anywhere.

    python3 .ci/sms_sink.py --port 8075 --log /tmp/sms_sink.log [--watch-pid PID]
"""

import argparse
import json
import os
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1024 * 1024


class SmsSinkHandler(BaseHTTPRequestHandler):
    # Answer at once: with Nagle on, every reply waits ~40 ms for an ACK.
    disable_nagle_algorithm = True

    server_version = "LoyaltySmsSink/1.0"

    def do_POST(self):
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        raw = self.rfile.read(length) if length else b""
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = text
        message_id = str(uuid.uuid4())
        entry = {
            "time": datetime.now(timezone.utc).isoformat(),
            "id": message_id,
            "path": self.path,
            "headers": dict(self.headers.items()),
            "body": body,
        }
        line = json.dumps(entry, ensure_ascii=False)
        with self.server.log_lock:
            with open(self.server.log_path, "a", encoding="utf-8") as log:
                log.write(line + "\n")
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        payload = json.dumps({"status": "ok", "id": message_id}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        payload = b'{"status": "ok", "service": "sms sink"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        # The JSON line printed by do_POST is the log; keep stderr quiet.
        return


def _watch_parent(pid, server):
    """Stop the server when process ``pid`` is gone (the demo's Odoo)."""
    while True:
        time.sleep(1)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            server.shutdown()
            return
        except PermissionError:
            continue


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8075)
    parser.add_argument("--log", required=True, help="JSON-lines file to append to")
    parser.add_argument(
        "--watch-pid", type=int, help="exit when this process no longer exists"
    )
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), SmsSinkHandler)
    server.daemon_threads = True
    server.log_path = args.log
    server.log_lock = threading.Lock()
    if args.watch_pid:
        threading.Thread(
            target=_watch_parent, args=(args.watch_pid, server), daemon=True
        ).start()
    sys.stdout.write(
        f"sms sink listening on http://{args.host}:{args.port}, log: {args.log}\n"
    )
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
