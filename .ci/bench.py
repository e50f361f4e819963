#!/usr/bin/env python3
# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmarks of the loyalty suite at shop-chain scale (see README.rst, "Benchmarks").

Called by ``.ci/bench`` on a throw-away database where the four addons are
installed::

    python3 .ci/bench.py --db DB [--scale 1.0] [--repeat 3] [ODOO OPTIONS...]

The parent process generates the data once (set-based SQL), then runs every
measurement in a child process of its own, so that each row of the table shows
the peak memory (RSS) of the Odoo process that ran it. Every measurement is run
``--repeat`` times together with its baseline, measured in the same run, and the
table prints median, min, max and the ratio of the medians.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

FULL = {
    "members": 200_000,
    "lots": 1_000_000,
    "due_share": 0.3,
    "whale_lots": 1_000_000,
    "minnow_lots": 1_000,
    "pos_orders": 50_000,
    "synced_orders": 500,
    "sms": 10_000,
}


def scaled(scale):
    sizes = {key: value for key, value in FULL.items() if key != "due_share"}
    sizes = {
        key: max(int(value * scale), 10 if key == "minnow_lots" else 1)
        for key, value in sizes.items()
    }
    # Balance reads compare 1,000 to 1,000,000 lots at full scale.
    sizes["minnow_lots"] = max(int(1_000 * min(scale * 10, 1)), 10)
    # Ratios need enough orders and messages to mean anything.
    sizes["synced_orders"] = max(int(500 * scale), 50)
    sizes["sms"] = max(int(10_000 * scale), 200)
    sizes["due_share"] = FULL["due_share"]
    # The lunch hour: 8 tills x 40 orders for 200 members (8 x 10 for 20 small).
    sizes["lunch_orders"] = max(int(40 * scale), 10)
    sizes["lunch_members"] = max(int(200 * scale), 20)
    return sizes


# ---------------------------------------------------------------------------
# Odoo environment
# ---------------------------------------------------------------------------


def odoo_env(args):
    import odoo
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-d", args.db, *args.odoo_args])
    registry = Registry(args.db)
    cr = registry.cursor()
    return odoo, api.Environment(cr, odoo.SUPERUSER_ID, {}), cr


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


# ---------------------------------------------------------------------------
# Data generation (set-based SQL)
# ---------------------------------------------------------------------------


def generate(env, cr, sizes):
    company = env.ref("base.main_company")
    company.write(
        {
            "loyalty_cashback_active": True,
            "loyalty_cashback_value": 10,
            "loyalty_points_active": True,
            "loyalty_points_step_amount": 20000,
            "loyalty_points_per_step": 1,
            "loyalty_points_validity_days": 365,
        }
    )
    env.flush_all()
    today = date.today()
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, autopost_bills,
                                 loyalty_member, loyalty_enrolled_on, lang,
                                 create_date, write_date, create_uid, write_uid)
        SELECT 'Bench member ' || g, 'Bench member ' || g, TRUE, 'contact',
               'ask', jsonb_build_object(%(key)s, TRUE),
               jsonb_build_object(%(key)s, %(today)s::date), 'en_US',
               NOW(), NOW(), 1, 1
          FROM generate_series(1, %(n)s) g
        RETURNING id
        """,
        {"n": sizes["members"] + 2, "today": today, "key": str(company.id)},
    )
    ids = sorted(row[0] for row in cr.fetchall())
    whale, minnow, members = ids[0], ids[1], ids[2:]
    cr.execute("SELECT MIN(id), MAX(id) FROM res_partner WHERE id = ANY(%s)", [members])
    first, last = cr.fetchone()
    span = last - first + 1
    due = int(sizes["due_share"] * 100)
    # Lots: every 10th is due (expired up to 100 days ago) for the first
    # `due_share` of each ten, the rest expire over the next two years.
    cr.execute(
        """
        INSERT INTO loyalty_transaction (
            partner_id, company_id, kind, operation, currency_id, amount, remaining,
            shortfall, date, expiration_date, description, create_uid, create_date,
            write_uid, write_date)
        SELECT %(first)s + (g %% %(span)s), %(company)s,
               CASE WHEN g %% 2 = 0 THEN 'wallet' ELSE 'points' END, 'earn',
               CASE WHEN g %% 2 = 0 THEN %(currency)s END, 100, 100, 0,
               NOW() - INTERVAL '200 days',
               CASE WHEN g %% 100 < %(due)s
                    THEN %(today)s - 1 - (g %% 97)
                    ELSE %(today)s + 1 + (g %% 700) END,
               'Bench lot', 1, NOW(), 1, NOW()
          FROM generate_series(1, %(lots)s) g
        """,
        {
            "first": first,
            "span": span,
            "company": company.id,
            "currency": company.currency_id.id,
            "due": due,
            "today": today,
            "lots": sizes["lots"],
        },
    )
    for partner_id, count in (
        (whale, sizes["whale_lots"]),
        (minnow, sizes["minnow_lots"]),
    ):
        cr.execute(
            """
            INSERT INTO loyalty_transaction (
                partner_id, company_id, kind, operation, amount, remaining, shortfall,
                date, expiration_date, description, create_uid, create_date,
                write_uid, write_date)
            SELECT %s, %s, 'points', 'earn', 1, 1, 0, NOW(), %s, 'Bench lot', 1,
                   NOW(), 1, NOW()
              FROM generate_series(1, %s)
            """,
            [partner_id, company.id, today + timedelta(days=400), count],
        )
    cr.execute(
        """
        INSERT INTO loyalty_balance (partner_id, company_id, kind, balance)
        SELECT p.id, %(company)s, k.kind, COALESCE(s.total, 0)
          FROM unnest(%(ids)s::int[]) p(id)
         CROSS JOIN (VALUES ('points'), ('wallet')) k(kind)
          LEFT JOIN (SELECT partner_id, kind, SUM(amount) AS total
                       FROM loyalty_transaction GROUP BY partner_id, kind) s
                 ON s.partner_id = p.id AND s.kind = k.kind
        """,
        {"company": company.id, "ids": ids},
    )
    generate_pos_orders(env, cr, sizes, first, span)
    cr.execute("ANALYZE loyalty_transaction; ANALYZE res_partner; ANALYZE pos_order")
    cr.commit()
    return {"whale": whale, "minnow": minnow}


def generate_pos_orders(env, cr, sizes, first, span):
    """Paid historical POS orders, so the order tables have a realistic size."""
    config = env["pos.config"].search([], limit=1) or env["pos.config"].create(
        {"name": "Bench shop"}
    )
    session = config.current_session_id or env["pos.session"].create(
        {"config_id": config.id, "user_id": env.ref("base.user_admin").id}
    )
    env.flush_all()
    cr.execute(
        """
        INSERT INTO pos_order (name, company_id, session_id, config_id, partner_id,
                               state, date_order, amount_tax, amount_total,
                               amount_paid, amount_return, uuid, create_date,
                               write_date, create_uid, write_uid)
        SELECT 'Bench/' || g, %(company)s, %(session)s, %(config)s,
               %(first)s + (g %% %(span)s), 'done',
               NOW() - (g %% 365) * INTERVAL '1 day',
               0, 100000, 100000, 0, gen_random_uuid()::text, NOW(), NOW(), 1, 1
          FROM generate_series(1, %(orders)s) g
        """,
        {
            "company": config.company_id.id,
            "session": session.id,
            "config": config.id,
            "first": first,
            "span": span,
            "orders": sizes["pos_orders"],
        },
    )


# ---------------------------------------------------------------------------
# Measurements: each returns its samples and its baseline's, in seconds
# ---------------------------------------------------------------------------


FLOOR_LOTS_SQL = """
    UPDATE loyalty_transaction SET remaining = 0
     WHERE remaining > 0 AND expiration_date < %(today)s
"""
# The same rows a stored-balance design must touch: the due lots, and the
# balance of every partner owning one (one UPDATE each, no ledger row written).
FLOOR_SQL = """
    WITH due AS (
        UPDATE loyalty_transaction SET remaining = 0
         WHERE remaining > 0 AND expiration_date < %(today)s
     RETURNING partner_id, kind, amount
    ), delta AS (
        SELECT partner_id, kind, -SUM(amount) AS amount
          FROM due GROUP BY partner_id, kind
    )
    UPDATE loyalty_balance b SET balance = b.balance + d.amount
      FROM delta d
     WHERE b.partner_id = d.partner_id AND b.company_id = 1 AND b.kind = d.kind
"""


def measure_expiry(env, cr, repeat, _info):
    """Nightly expiry of the due lots vs. the physical floor: raw SQL touching
    the same rows (the due lots and their owners' stored balances), without
    writing ledger rows, locks or batches. Each run is rolled back, so runs are
    identical. The lots-only UPDATE is printed too."""
    Transaction = env["loyalty.transaction"]
    today = date.today()
    cr.execute(
        "SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM loyalty_transaction "
        "WHERE remaining > 0 AND expiration_date < %s",
        [today],
    )
    due, owners = cr.fetchone()
    samples, floor, lots_only = [], [], []
    # One untimed run of each first: every timed run then starts warm.
    Transaction._loyalty_expire_due_lots(today=today)
    cr.rollback()
    env.invalidate_all()
    cr.execute(FLOOR_SQL, {"today": today})
    cr.rollback()
    for _run in range(repeat):
        samples.append(timed(lambda: Transaction._loyalty_expire_due_lots(today=today)))
        cr.rollback()
        env.invalidate_all()
        floor.append(timed(lambda: cr.execute(FLOOR_SQL, {"today": today})))
        cr.rollback()
        lots_only.append(timed(lambda: cr.execute(FLOOR_LOTS_SQL, {"today": today})))
        cr.rollback()
    lots_median = statistics.median(lots_only)
    return {
        "name": f"nightly expiry ({due:,} due lots, {owners:,} members)",
        "samples": samples,
        "baseline": "raw SQL UPDATE of the same rows (due lots + their balances)",
        "baseline_samples": floor,
        "target": "<= 2.5x floor and <= 60 s",
        "met": statistics.median(samples) <= 2.5 * statistics.median(floor)
        and max(samples) <= 60,
        "extra": f"lots-only UPDATE: {lots_median:.2f} s "
        f"({statistics.median(samples) / lots_median:.1f}x)",
    }


def _balance_reads(env, partner_id, reads=500):
    partner = env["res.partner"].browse(partner_id)

    def read_all():
        for _read in range(reads):
            partner.invalidate_recordset(["loyalty_wallet_balance", "loyalty_points"])
            partner.read(["loyalty_wallet_balance", "loyalty_points"])

    return timed(read_all) / reads


def measure_balance_read(env, cr, repeat, info):
    """What the POS and the portal do: read one member's balances (a stored
    field: one indexed row), for a member with few lots and one with very many."""
    cr.execute(
        "SELECT partner_id, COUNT(*) FROM loyalty_transaction "
        "WHERE partner_id IN %s GROUP BY partner_id",
        [(info["whale"], info["minnow"])],
    )
    counts = dict(cr.fetchall())
    small = [_balance_reads(env, info["minnow"]) for _run in range(repeat)]
    big = [_balance_reads(env, info["whale"]) for _run in range(repeat)]
    return {
        "name": f"balance read, member with {counts[info['whale']]:,} lots",
        "samples": big,
        "baseline": f"same read, member with {counts[info['minnow']]:,} lots",
        "baseline_samples": small,
        "target": "O(1): ratio ~1",
        "met": statistics.median(big) <= 1.5 * statistics.median(small),
    }


def measure_invariant(env, cr, repeat, _info):
    """balance == sum(ledger) for every member, as one SQL report, vs. a plain
    scan of the ledger (the floor of any whole-ledger check)."""
    Transaction = env["loyalty.transaction"]
    cr.execute("SELECT COUNT(*) FROM loyalty_transaction")
    rows = cr.fetchone()[0]
    samples, scans, mismatches = [], [], None
    for _run in range(repeat):
        started = time.perf_counter()
        mismatches = Transaction._loyalty_check_balances()
        samples.append(time.perf_counter() - started)
        scans.append(
            timed(lambda: cr.execute("SELECT SUM(amount) FROM loyalty_transaction"))
        )
    return {
        "name": f"ledger invariant check ({rows:,} rows)",
        "samples": samples,
        "baseline": "SELECT SUM(amount) over the ledger",
        "baseline_samples": scans,
        "target": "0 mismatches",
        "met": not mismatches,
        "extra": f"{len(mismatches)} mismatches",
    }


def measure_pos_sync(env, cr, repeat, info):
    """500 POS orders through the real order processing (``sync_from_ui``, one
    call per order like a till): club on (cashback, points, 20 % paid from the
    wallet) vs. the same orders with the club off (those 20 % paid by card).
    Each member's order is synced club on and club off one right after the
    other, so that the machine's drift (checkpoints, autovacuum, other
    processes) weighs on both modes alike instead of on one batch; a sample
    is the time of all 500 orders of a mode. Rolled back afterwards."""
    from odoo import api

    from odoo.addons.loyalty_wallet.tests.benchmarks import bench_pos_sync

    admin = env.ref("base.user_admin")
    env = api.Environment(cr, admin.id, {})  # open_ui() refuses the superuser
    orders = info["pos_orders"]
    shop, members = bench_pos_sync.shop_with_members(env, orders)
    bench_pos_sync.sync_pairs(env, shop, members[:20])  # warm up
    on, off = [], []
    for _run in range(repeat):
        timings = bench_pos_sync.sync_pairs(env, shop, members)
        on.append(sum(timings[True]))
        off.append(sum(timings[False]))
    return {
        "name": f"POS order sync, {orders} orders, club on",
        "samples": on,
        "baseline": "the same orders, club off, interleaved",
        "baseline_samples": off,
        "target": "ratio <= 1.05",
        "met": statistics.median(on) <= 1.05 * statistics.median(off),
    }


def measure_tier_review(env, cr, repeat, info):
    """The daily tier review over ``members`` customers with tiers and
    retention rules, about half of them past their retention period; the
    baseline is the same review run again, with nothing left to downgrade
    (the cost of the scan alone). The review commits batch by batch: it runs
    once, on its own generated customers."""
    from odoo.addons.loyalty_tier.tests.benchmarks import bench_tier_review

    Tier = env["loyalty.tier"]
    company = env.ref("base.main_company")
    tiers = bench_tier_review.create_tiers(env, company)
    partner_ids = bench_tier_review.generate_members(
        env, company, tiers, info["members"]
    )
    cr.commit()
    first = timed(Tier._cron_loyalty_tier_review)
    downgrades = env["loyalty.tier.history"].search_count(
        [("partner_id", "in", partner_ids), ("kind", "=", "down")]
    )
    again = [timed(Tier._cron_loyalty_tier_review) for _run in range(repeat)]
    return {
        "name": f"tier review, {len(partner_ids):,} members",
        "samples": [first],
        "baseline": "the same review again, nothing to downgrade",
        "baseline_samples": again,
        "target": "<= 60 s",
        "met": first <= 60,
        "extra": f"{downgrades:,} downgrades",
    }


def measure_sms_queue(env, cr, repeat, info):
    """``count`` queued SMS sent by the queue through the generic HTTP gateway
    to a local sink that answers in 300 ms (a gateway across the internet),
    vs. the transport floor: one request at a time to the same sink, i.e. what
    a sequential queue would reach."""
    import requests

    from odoo.addons.loyalty_sms.tests.benchmarks import bench_sms_queue

    count = info["sms"]
    latency = 0.3
    runs, duplicates, losses, longest = [], 0, 0, 0.0
    for _run in range(repeat):
        elapsed, dup, lost, _states, longest_run = bench_sms_queue.run(
            env.registry, count, latency
        )
        runs.append(elapsed)
        duplicates, losses = duplicates + dup, losses + lost
        longest = max(longest, longest_run)
    sink = bench_sms_queue.start_sink(latency)
    url = sink.url
    floor = []
    sample = 20  # one at a time at 300 ms each: extrapolated from 20
    with requests.Session() as session:
        for _run in range(repeat):
            started = time.perf_counter()
            for n in range(sample):
                session.post(url, json={"reference": f"floor-{_run}-{n}"}, timeout=10)
            floor.append((time.perf_counter() - started) * count / sample)
    sink.shutdown()
    rate = count / statistics.median(runs)
    return {
        "name": f"SMS queue, {count:,} messages, 300 ms gateway ({rate:.0f} msg/s)",
        "samples": runs,
        "baseline": "sequential sending (one request at a time)",
        "baseline_samples": floor,
        "target": ">= 100 msg/s, 0 dup, 0 lost, runs < 30 s",
        "met": rate >= 100 and not duplicates and not losses and longest < 30,
        "extra": f"{duplicates} dup, {losses} lost, longest run {longest:.1f} s",
    }


def measure_overview(env, cr, repeat, _info):
    """The owner's overview opening: every figure of the screen (outstanding,
    monthly trend, active members, expiring, top members, tiers, SMS) as the
    client action asks for them, vs. a plain scan of the ledger. The ledger
    is first folded into the monthly figures, as the nightly job leaves it
    (the generated rows are all new); the fold's time is printed too."""
    from odoo import fields

    Overview = env["loyalty.overview"]
    company = env.ref("base.main_company")
    today = fields.Date.context_today(Overview)
    cr.execute("SELECT COUNT(*), MAX(id) FROM loyalty_transaction")
    rows, last_id = cr.fetchone()
    fold = timed(lambda: env["loyalty.overview.month"]._loyalty_fold(upto=last_id))
    samples, scans = [], []
    for _run in range(repeat):
        env.invalidate_all()
        samples.append(
            timed(lambda: Overview._loyalty_overview_sections(company, today))
        )
        scans.append(
            timed(lambda: cr.execute("SELECT SUM(amount) FROM loyalty_transaction"))
        )
    month_start = today.replace(day=1)
    parts = {
        "outstanding": lambda: Overview._loyalty_outstanding(company),
        "trend": lambda: Overview._loyalty_monthly(company, month_start),
        "active": lambda: Overview._loyalty_active_members(company, today),
        "expiring": lambda: Overview._loyalty_expiring(company, today),
        "top": lambda: Overview._loyalty_top_members(company),
    }
    spent = {name: timed(part) for name, part in parts.items()}
    spent["rest (members, tiers, SMS)"] = max(
        statistics.median(samples) - sum(spent.values()), 0.0
    )
    split = ", ".join(f"{name} {fmt(seconds)}" for name, seconds in spent.items())
    return {
        "extra": f"{split}; nightly fold of the whole ledger {fmt(fold)}",
        "name": f"owner's overview ({rows:,} ledger rows)",
        "samples": samples,
        "baseline": "SELECT SUM(amount) over the ledger",
        "baseline_samples": scans,
        "target": "<= 2 s",
        "met": statistics.median(samples) <= 2,
    }


def measure_lunch_hour(env, cr, repeat, info):
    """A chain's lunch hour: a real Odoo in prefork mode (4 workers), 8 tills
    sending their orders in parallel over JSON-RPC (``sync_from_ui``, one call
    per order) for members paying 20 % from the wallet, vs. the same load with
    the club off (those 20 % by card). Every run must store each order once,
    paid, and leave every balance equal to its ledger. Commits its data."""
    from odoo.addons.loyalty_wallet.tests.benchmarks import bench_lunch_hour

    tills, per_till = 8, info["lunch_orders"]
    runs, problems, orders = bench_lunch_hour.measure(
        env,
        cr.dbname,
        info["odoo_args"],
        tills,
        per_till,
        info["lunch_members"],
        repeat,
    )
    on = bench_lunch_hour.summary(runs[True], orders)
    off = bench_lunch_hour.summary(runs[False], orders)
    clean = not any(value for key, value in problems.items() if key != "first_error")
    figures = ", ".join(
        f"{name} {problems.get(name, 0)}"
        for name in (
            "lost",
            "doubled",
            "unpaid",
            "wrong_spends",
            "errors",
            "mismatches",
        )
    )
    return {
        "name": f"lunch hour, {tills} tills x {per_till} orders, 4 workers",
        "samples": on["walls"],
        "baseline": "the same load, club off (wallet share by card)",
        "baseline_samples": off["walls"],
        "target": "ratio <= 1.10, 0 lost/doubled, balance == ledger",
        "met": clean
        and statistics.median(on["walls"]) <= 1.10 * statistics.median(off["walls"]),
        "extra": f"on {on['rate']:.1f} orders/s, p50 {fmt(on['p50'])}, "
        f"p95 {fmt(on['p95'])}; off {off['rate']:.1f} orders/s, "
        f"p50 {fmt(off['p50'])}, p95 {fmt(off['p95'])}; {figures}"
        + (
            f"; first error: {problems['first_error']}"
            if "first_error" in problems
            else ""
        ),
    }


MEASUREMENTS = {
    "pos_sync": measure_pos_sync,
    "expiry": measure_expiry,
    "tier_review": measure_tier_review,
    "balance_read": measure_balance_read,
    "sms_queue": measure_sms_queue,
    "invariant": measure_invariant,
    "overview": measure_overview,
    # Last: it commits its tills, members and orders.
    "lunch_hour": measure_lunch_hour,
}


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def child(args):
    _odoo, env, cr = odoo_env(args)
    info = json.loads(args.info)
    with cr:
        result = MEASUREMENTS[args.measure](env, cr, args.repeat, info)
        cr.rollback()
    result["rss_mib"] = peak_rss_mib()
    print("BENCH-RESULT " + json.dumps(result), flush=True)


def run_child(args, name, info):
    command = [
        sys.executable,
        os.path.abspath(__file__),
        "--db",
        args.db,
        "--repeat",
        str(args.repeat),
        "--measure",
        name,
        "--info",
        json.dumps(info),
        *args.odoo_args,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT ") :])
    sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-3000:])
    return {"name": name, "error": f"exit status {completed.returncode}"}


def fmt(seconds):
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def print_table(results):
    header = (
        f"{'measurement':<46} {'median':>10} {'min':>10} {'max':>10} "
        f"{'baseline median':>16} {'ratio':>7} {'peak RSS':>9}  target"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for result in results:
        if "error" in result:
            print(f"{result['name']:<46} ERROR {result['error']}")
            failed = True
            continue
        samples, base = result["samples"], result["baseline_samples"]
        ratio = statistics.median(samples) / max(statistics.median(base), 1e-9)
        verdict = "met" if result["met"] and result["rss_mib"] <= 1024 else "NOT MET"
        failed |= verdict != "met"
        print(
            f"{result['name']:<46} {fmt(statistics.median(samples)):>10} "
            f"{fmt(min(samples)):>10} {fmt(max(samples)):>10} "
            f"{fmt(statistics.median(base)):>16} {ratio:>6.2f}x "
            f"{result['rss_mib']:>6.0f} MiB  {result['target']} -> {verdict}"
            + (f" ({result['extra']})" if result.get("extra") else "")
        )
        print(f"{'':<4}baseline: {result['baseline']}")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure")
    parser.add_argument("--info")
    parser.add_argument("--only", help="comma-separated measurement names")
    parser.add_argument(
        "--no-targets",
        action="store_true",
        help="exit 0 when every measurement ran, met or not (small data)",
    )
    args, args.odoo_args = parser.parse_known_args()
    if args.measure:
        return child(args)

    sizes = scaled(args.scale)
    _odoo, env, cr = odoo_env(args)
    started = time.perf_counter()
    with cr:
        info = generate(env, cr, sizes)
    info.update(
        members=sizes["members"],
        pos_orders=sizes["synced_orders"],
        sms=sizes["sms"],
        lunch_orders=sizes["lunch_orders"],
        lunch_members=sizes["lunch_members"],
        odoo_args=args.odoo_args,
    )
    print(
        f"data: {sizes['members']:,} members, {sizes['lots']:,} lots "
        f"(+{sizes['whale_lots']:,} and {sizes['minnow_lots']:,} for two members), "
        f"{sizes['pos_orders']:,} POS orders, generated in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    names = args.only.split(",") if args.only else list(MEASUREMENTS)
    results = []
    for name in names:
        started = time.perf_counter()
        results.append(run_child(args, name, info))
        print(f"  {name}: done in {time.perf_counter() - started:.1f} s", flush=True)
    print()
    print(
        f"loyalty suite benchmarks — scale {args.scale:g}, repeat {args.repeat}, "
        f"{os.cpu_count()} cores, {date.today()}"
    )
    failed = print_table(results)
    if args.no_targets:
        return 1 if any("error" in result for result in results) else 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
