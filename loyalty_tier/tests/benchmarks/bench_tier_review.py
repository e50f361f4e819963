# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the tier retention review over many customers.

Not a unit test (pytest does not collect it). It WRITES into the database and
the review commits per batch: run it on a throw-away copy with loyalty_tier
installed, never on a real database::

    createdb -T <db with loyalty_tier installed> lt_bench
    python3 loyalty_tier/tests/benchmarks/bench_tier_review.py -d lt_bench \\
        --db_host=127.0.0.1 --db_user=odoo --addons-path=<repo>,<odoo>/addons \\
        [--members 200000]

or from ``python3 -m odoo shell -d lt_bench ...``:
``exec(open("loyalty_tier/tests/benchmarks/bench_tier_review.py").read());
run(env)``.

It creates Bronze/Silver/Gold tiers (Gold with a pricelist) in the main
company, ``--members`` customers spread over them with set-based SQL, each with
two POS sales and one points lot over the last 120 days, and about half of them
past their retention period; then it times ``_cron_loyalty_tier_review``.
"""

import argparse
import sys
import time

from odoo import Command, api, fields
from odoo.tools import SQL

TIERS = [
    # name, sequence, rules and retention
    ("Bench Bronze", 10, {"min_order_amount": 100, "retention_days": 30}),
    ("Bench Silver", 20, {"min_spend": 500, "window_days": 365, "retention_days": 30}),
    ("Bench Gold", 30, {"min_spend": 1500, "window_days": 365, "retention_days": 60}),
]


def create_tiers(env, company):
    pricelist = env["product.pricelist"].create(
        {
            "name": "Bench Gold 10 %",
            "company_id": company.id,
            "item_ids": [
                Command.create(
                    {
                        "applied_on": "3_global",
                        "compute_price": "percentage",
                        "percent_price": 10,
                    }
                )
            ],
        }
    )
    tiers = env["loyalty.tier"]
    for name, sequence, values in TIERS:
        extra = {"pricelist_id": pricelist.id} if sequence == 30 else {}
        tiers |= tiers.create(
            {
                "name": name,
                "sequence": sequence,
                "company_id": company.id,
                "retention_min_amount": 100,
                "cashback_percent": sequence / 5,
                **values,
                **extra,
            }
        )
    return tiers


def generate_members(env, company, tiers, count):
    """Members, their tier state, sales and points, in a few statements."""
    key = str(company.id)
    today = fields.Date.context_today(env["res.partner"])
    tier_ids = tiers.sorted("sequence").ids
    gold_pricelist = tiers.sorted("sequence")[-1].pricelist_id.id
    partner_ids = [
        row[0]
        for row in env.execute_query(
            SQL(
                """
                INSERT INTO res_partner (
                    name, complete_name, active, type, is_company, autopost_bills,
                    loyalty_member, loyalty_enrolled_on,
                    loyalty_tier_id, loyalty_tier_renewed_on,
                    specific_property_product_pricelist,
                    create_uid, write_uid, create_date, write_date)
                SELECT 'Bench Member ' || n, 'Bench Member ' || n, TRUE, 'contact',
                       FALSE, 'ask', jsonb_build_object(%(key)s, TRUE),
                       jsonb_build_object(%(key)s, %(today)s::date - 400),
                       jsonb_build_object(%(key)s, (%(tiers)s::int[])[1 + n %% 3]),
                       jsonb_build_object(%(key)s, %(today)s::date - (n * 7919) %% 91),
                       CASE WHEN n %% 3 = 2
                            THEN jsonb_build_object(%(key)s, %(gold_pricelist)s) END,
                       1, 1, NOW(), NOW()
                  FROM generate_series(1, %(count)s) n
                RETURNING id
                """,
                today=today,
                key=key,
                tiers=tier_ids,
                gold_pricelist=gold_pricelist,
                count=count,
            )
        )
    ]
    env.execute_query(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            partner_ids,
        )
    )
    env.execute_query(
        SQL(
            """
            INSERT INTO pos_order (
                name, company_id, partner_id, state, date_order, amount_total,
                amount_tax, amount_paid, amount_return, create_date, write_date)
            SELECT 'BENCH/' || p.id || '/' || k, %(company)s, p.id, 'paid',
                   NOW() - make_interval(days => ((p.id * 31 + k * 17) %% 120)::int),
                   20 + (p.id * 13 + k * 29) %% 380, 0,
                   20 + (p.id * 13 + k * 29) %% 380, 0, NOW(), NOW()
              FROM res_partner p CROSS JOIN generate_series(1, 2) k
             WHERE p.id = ANY(%(ids)s)
            """,
            company=company.id,
            ids=partner_ids,
        )
    )
    env.execute_query(
        SQL(
            """
            INSERT INTO loyalty_transaction (
                partner_id, company_id, kind, operation, amount, remaining,
                date, description, create_date, write_date)
            SELECT p.id, %(company)s, 'points', 'earn', 50, 50,
                   NOW() - make_interval(days => (p.id %% 100)::int),
                   'Bench points', NOW(), NOW()
              FROM res_partner p WHERE p.id = ANY(%(ids)s)
            """,
            company=company.id,
            ids=partner_ids,
        )
    )
    env.execute_query(
        SQL(
            """
            INSERT INTO loyalty_balance (partner_id, company_id, kind, balance)
            SELECT p, %(company)s, k, CASE WHEN k = 'points' THEN 50 ELSE 0 END
              FROM unnest(%(ids)s::int[]) p, unnest(ARRAY['points', 'wallet']) k
            """,
            company=company.id,
            ids=partner_ids,
        )
    )
    env.cr.execute("ANALYZE res_partner, pos_order, loyalty_transaction")
    return partner_ids


def run(env, members=200000):
    company = env.ref("base.main_company")
    company.write({"loyalty_cashback_active": True})
    started = time.perf_counter()
    tiers = create_tiers(env, company)
    partner_ids = generate_members(env, company, tiers, members)
    env.cr.commit()
    elapsed = time.perf_counter() - started
    print(f"generated {len(partner_ids)} members in {elapsed:.1f} s")
    today = fields.Date.context_today(env["loyalty.tier"])
    lapsed = len(
        env["loyalty.tier"]._loyalty_lapsed_partner_ids(company, today, 0, members)
    )
    print(f"{lapsed} members past their retention period")
    started = time.perf_counter()
    env["loyalty.tier"]._cron_loyalty_tier_review()
    elapsed = time.perf_counter() - started
    downgrades = env["loyalty.tier.history"].search_count(
        [("partner_id", "in", partner_ids), ("kind", "=", "down")]
    )
    print(f"review: {downgrades} downgrades in {elapsed:.1f} s (target < 60 s)")
    started = time.perf_counter()
    env["loyalty.tier"]._cron_loyalty_tier_review()
    print(f"second run (nothing to do): {time.perf_counter() - started:.1f} s")
    return elapsed


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200000)
    args, odoo_args = parser.parse_known_args(argv)
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(odoo_args)
    database = config["db_name"]
    if not database or "," in str(database):
        sys.exit("give the one throw-away database explicitly: -d <name>")
    database = database[0] if isinstance(database, list) else database
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        elapsed = run(env, args.members)
    sys.exit(0 if elapsed < 60 else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
