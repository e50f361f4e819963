#!/usr/bin/env python3
# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cost of the loyalty processing when POS orders are synced.

Syncs the same POS orders through ``pos.order.sync_from_ui`` (one order per
call, as the till does) with the loyalty club on (cashback and points earned,
20 % paid from the wallet) and off (company flags off, those 20 % by card),
each member's two orders one right after the other, and prints the median
time per order of each and their ratio (target: <= 1.05). Everything runs
in one transaction that is rolled back: the database is left as it was. Not
a test: run it by hand on a database where loyalty_wallet is installed::

    python3 loyalty_wallet/tests/benchmarks/bench_pos_sync.py -d DB \\
        --db_host=127.0.0.1 --db_user=odoo --addons-path=. [--orders 500] [--repeat 3]
"""

import argparse
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args, odoo_args = parser.parse_known_args()
    config.parse_config(odoo_args)
    odoo.netsvc.init_logger()
    return args


def shop_with_members(env, count):
    from odoo.addons.loyalty_wallet.tests.common_pos import committed_shop

    shop = committed_shop(env, "Benchmark till")
    set_club(env.company, True)
    members = env["res.partner"].create(
        [{"name": f"Benchmark member {index}"} for index in range(count)]
    )
    for member in members:
        member._loyalty_enroll()
        member.loyalty_adjust("wallet", 1000, "benchmark opening balance")
    return shop, members


def set_club(company, active):
    company.write(
        {
            "loyalty_cashback_active": active,
            "loyalty_cashback_type": "percent",
            "loyalty_cashback_value": 10.0,
            "loyalty_points_active": active,
            "loyalty_points_step_amount": 20.0,
            "loyalty_points_per_step": 1.0,
        }
    )


def sync_order(env, shop, member, loyalty):
    """Seconds to sync one order of 100 for ``member``: 20 paid from the
    wallet (club on) or by card (club off), the rest in cash."""
    from odoo.addons.loyalty_wallet.tests.common_pos import pos_payload

    set_club(env.company, loyalty)
    env.flush_all()
    env.invalidate_all()
    payments = [
        (shop["wallet"] if loyalty else shop["card"], 20.0),
        (shop["cash"], 80.0),
    ]
    payload = pos_payload(
        shop["session"], shop["product"], 100, partner=member, payments=payments
    )
    started = time.perf_counter()
    env["pos.order"].sync_from_ui([payload])
    env.flush_all()
    elapsed = time.perf_counter() - started
    env.invalidate_all()
    return elapsed


def sync_pairs(env, shop, members):
    """Seconds per order, ``{True: [...], False: [...]}``: each member's
    order synced once with the club on and once with it off, one right after
    the other (every other member starts with the club off), so that what
    the machine does meanwhile (a checkpoint, another process) weighs on both
    alike."""
    timings = {True: [], False: []}
    for index, member in enumerate(members):
        first = bool(index % 2)
        for loyalty in (first, not first):
            timings[loyalty].append(sync_order(env, shop, member, loyalty))
    return timings


def main():
    args = parse_args()
    registry = Registry(
        config["db_name"][0]
        if isinstance(config["db_name"], list)
        else config["db_name"]
    )
    with registry.cursor() as cr:
        # open_ui() refuses the superuser outside tests: run as the admin.
        admin = api.Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin")
        env = api.Environment(cr, admin.id, {})
        shop, members = shop_with_members(env, args.orders)
        sync_pairs(env, shop, members[:20])  # warm up the caches
        medians = {True: [], False: []}
        for _round in range(args.repeat):
            for loyalty, timings in sync_pairs(env, shop, members).items():
                medians[loyalty].append(statistics.median(timings))
        cr.rollback()
    off = statistics.median(medians[False])
    on = statistics.median(medians[True])
    print(f"orders per batch: {args.orders}, batches per mode: {args.repeat}")
    print(f"loyalty off: median {off * 1000:.2f} ms per order")
    print(f"loyalty on:  median {on * 1000:.2f} ms per order")
    print(f"ratio on/off: {on / off:.3f} (target <= 1.05)")


if __name__ == "__main__":
    main()
