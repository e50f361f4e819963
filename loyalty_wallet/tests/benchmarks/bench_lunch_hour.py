# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A shop chain's lunch hour on a multi-worker Odoo.

A real Odoo server in prefork mode (``--workers 4``) on a free local port,
eight tills (one cashier, one open session each) sending their orders at the
same time, one ``sync_from_ui`` call per order over the JSON-2 API (what the POS sends),
for members paying part of each order from the wallet; then the same load with
the club off (those parts paid by card). Afterwards every order sent must be
stored exactly once, paid, and every balance must equal its ledger. Called by
``.ci/bench.py`` (``lunch_hour``); its data is committed, on the throw-away
bench database.
"""

import http.client
import json
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuid_lib
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.loyalty_wallet.tests.common_pos import pos_payload

from .bench_pos_sync import set_club

WALLET_SHARE = 20.0  # of each order of 100.00
OPENING_BALANCE = 10_000.0


def setup_chain(env, tills, members):
    """``tills`` tills (cashier, cash method, open session) sharing card and
    wallet methods, and ``members`` members with wallet credit. Committed."""
    company = env.company
    bank_journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    card, wallet = env["pos.payment.method"].create(
        [
            {"name": "Lunch card", "journal_id": bank_journal.id},
            {
                "name": "Lunch wallet",
                "journal_id": bank_journal.id,
                "loyalty_payment": "wallet",
            },
        ]
    )
    product = env["product.product"].create(
        {"name": "Lunch menu", "lst_price": 1.0, "available_in_pos": True}
    )
    product.taxes_id = False
    groups = [env.ref("base.group_user").id, env.ref("point_of_sale.group_pos_user").id]
    shops = []
    for index in range(tills):
        journal = env["account.journal"].create(
            {"name": f"Lunch till {index} cash", "type": "cash", "code": f"LH{index}"}
        )
        cash = env["pos.payment.method"].create(
            {"name": f"Lunch till {index} cash", "journal_id": journal.id}
        )
        config = env["pos.config"].create(
            {
                "name": f"Lunch till {index}",
                "payment_method_ids": [Command.set((cash | card | wallet).ids)],
            }
        )
        cashier = env["res.users"].create(
            {
                "name": f"Lunch cashier {index}",
                "login": f"lunch_cashier_{index}",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [Command.set(groups)],
            }
        )
        # The till's API key (JSON-2, as an integration would call Odoo 19);
        # sudo: a cashier may not choose a key's lifetime.
        key = (
            env["res.users.apikeys"]
            .with_user(cashier)
            .sudo()
            ._generate(
                None, "lunch hour till", fields.Datetime.now() + timedelta(days=1)
            )
        )
        config.with_user(cashier).open_ui()
        session = config.current_session_id.with_user(cashier)
        session.set_opening_control(0, None)
        shops.append(
            {
                "session": session,
                "cashier": cashier,
                "cash": cash,
                "index": index,
                "key": key,
            }
        )
    partners = env["res.partner"].create(
        [{"name": f"Lunch member {index}"} for index in range(members)]
    )
    for partner in partners:
        partner._loyalty_enroll()
        partner.loyalty_adjust("wallet", OPENING_BALANCE, "lunch hour opening")
    env.cr.commit()
    return {
        "shops": shops,
        "card": card,
        "wallet": wallet,
        "product": product,
        "members": partners,
    }


def payloads(chain, orders_per_till, loyalty):
    """Per till, its orders (members taken in turn across the tills, so the
    same member may pay at two tills at the same moment)."""
    members = chain["members"]
    batches = []
    for shop in chain["shops"]:
        batch = []
        for number in range(orders_per_till):
            member = members[
                (number * len(chain["shops"]) + shop["index"]) % len(members)
            ]
            payments = [
                (chain["wallet"] if loyalty else chain["card"], WALLET_SHARE),
                (shop["cash"], 100.0 - WALLET_SHARE),
            ]
            payload = pos_payload(
                shop["session"],
                chain["product"],
                100,
                partner=member,
                payments=payments,
                uuid=str(uuid_lib.uuid4()),
            )
            payload["user_id"] = shop["cashier"].id
            for _zero, _zero2, payment in payload["payment_ids"]:
                payment["name"] = fields.Datetime.to_string(payment["name"])
            batch.append(payload)
        batches.append(batch)
    return batches


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``python3 -m odoo`` in prefork mode on free ports, stopped on exit."""

    def __init__(self, db, odoo_args, workers=4):
        self.port = free_port()
        # A file, not a pipe: a full pipe would block the server.
        self.log = tempfile.TemporaryFile(mode="w+")
        args = [a for a in odoo_args if not a.startswith(("--workers", "--http-port"))]
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "odoo",
                *args,
                "-d",
                db,
                f"--db-filter=^{db}$",
                f"--workers={workers}",
                f"--http-port={self.port}",
                f"--gevent-port={free_port()}",
                "--max-cron-threads=0",
                "--limit-time-real=600",
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )

    def __enter__(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"odoo exited: {self.log.read()[-2000:]}")
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=5
                )
                connection.request("GET", "/web/health")
                connection.getresponse().read()
                return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("odoo did not answer within 120 s")

    def __exit__(self, *_exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Till(threading.Thread):
    """One till: its orders one call at a time, then one of them again (the
    answer to it was lost: the till retries)."""

    def __init__(self, port, db, key, batch, start):
        super().__init__()
        self.port, self.db, self.key, self.batch = port, db, key, batch
        self.start_event = start
        self.latencies, self.errors = [], []

    def call(self, connection, payload):
        connection.request(
            "POST",
            "/json/2/pos.order/sync_from_ui",
            json.dumps({"orders": [payload]}),
            {
                "Content-Type": "application/json",
                "Authorization": f"bearer {self.key}",
                "X-Odoo-Database": self.db,
            },
        )
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200:
            self.errors.append(f"HTTP {response.status}: {answer[:300]!r}")

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        self.start_event.wait()
        for payload in [*self.batch, self.batch[0]]:
            started = time.perf_counter()
            try:
                self.call(connection, payload)
            except (OSError, http.client.HTTPException, ValueError) as error:
                self.errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=600
                )
            self.latencies.append(time.perf_counter() - started)
        connection.close()


def rush(port, db, chain, batches):
    """Every till sends its batch at the same moment: wall time, latencies,
    errors."""
    start = threading.Event()
    tills = [
        Till(port, db, shop["key"], batch, start)
        for shop, batch in zip(chain["shops"], batches, strict=True)
    ]
    for till in tills:
        till.start()
    started = time.perf_counter()
    start.set()
    for till in tills:
        till.join()
    elapsed = time.perf_counter() - started
    latencies = [latency for till in tills for latency in till.latencies]
    errors = [error for till in tills for error in till.errors]
    return elapsed, latencies, errors


def check(env, batches, loyalty):
    """Lost, doubled and unpaid orders among those sent, orders whose wallet
    share was not spent exactly once, and balance/ledger mismatches."""
    env.cr.rollback()  # a new snapshot: what the server committed
    env.invalidate_all()
    uuids = [payload["uuid"] for batch in batches for payload in batch]
    env.cr.execute(
        "SELECT uuid, COUNT(*), BOOL_AND(state IN ('paid', 'done', 'invoiced')) "
        "FROM pos_order WHERE uuid = ANY(%s) GROUP BY uuid",
        [uuids],
    )
    rows = env.cr.fetchall()
    found = {uuid: (count, paid) for uuid, count, paid in rows}
    lost = len(set(uuids) - set(found))
    doubled = sum(count - 1 for count, _paid in found.values())
    unpaid = sum(1 for _count, paid in found.values() if not paid)
    env.cr.execute(
        "SELECT COUNT(*) FROM loyalty_transaction t JOIN pos_order o "
        "ON t.source_model = 'pos.order' AND t.source_id = o.id "
        "WHERE o.uuid = ANY(%s) AND t.operation = 'spend'",
        [uuids],
    )
    spends = env.cr.fetchone()[0]
    wrong_spends = abs(spends - (len(found) if loyalty else 0))
    mismatches = env["loyalty.transaction"]._loyalty_check_balances()
    return {
        "lost": lost,
        "doubled": doubled,
        "unpaid": unpaid,
        "wrong_spends": wrong_spends,
        "mismatches": len(mismatches),
    }


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def measure(env, db, odoo_args, tills, orders_per_till, members, repeat):
    """Runs of the club off and on, alternated (off then on, then on then
    off, ...: whatever the machine does meanwhile, a checkpoint after a run's
    writes, weighs on both alike), after a warm-up of each."""
    chain = setup_chain(env, tills, members)
    company = env.company
    runs = {True: [], False: []}
    problems = {}
    with Server(db, odoo_args) as server:
        for loyalty in (False, True):  # warm the workers up (registry, caches)
            set_club(company, loyalty)
            env.cr.commit()
            rush(server.port, db, chain, payloads(chain, 1, loyalty))
        for run in range(repeat):
            for loyalty in (True, False) if run % 2 else (False, True):
                set_club(company, loyalty)
                env.cr.commit()
                batches = payloads(chain, orders_per_till, loyalty)
                elapsed, latencies, errors = rush(server.port, db, chain, batches)
                found = check(env, batches, loyalty)
                found["errors"] = len(errors)
                for key, value in found.items():
                    problems[key] = problems.get(key, 0) + value
                if errors:
                    problems.setdefault("first_error", errors[0])
                runs[loyalty].append((elapsed, latencies))
    orders = tills * orders_per_till
    return runs, problems, orders


def summary(runs, orders):
    """Orders/s (median run) and p50 / p95 latency (over every call)."""
    walls = [elapsed for elapsed, _latencies in runs]
    latencies = [latency for _elapsed, run in runs for latency in run]
    return {
        "walls": walls,
        "rate": orders / statistics.median(walls),
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
    }
