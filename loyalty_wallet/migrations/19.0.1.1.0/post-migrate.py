# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Balances move from res_partner's company-dependent columns to
loyalty.balance rows, and every ledger row gets the balance after it.

The ledger is the truth: each balance row is the sum of its movements (which
the old columns always equalled), so nothing is read from the old columns
before they are dropped."""


def migrate(cr, version):
    cr.execute(
        """
        INSERT INTO loyalty_balance (partner_id, company_id, kind, balance)
        SELECT t.partner_id, t.company_id, k.kind,
               COALESCE(SUM(t.amount) FILTER (WHERE t.kind = k.kind), 0)
          FROM loyalty_transaction t
         CROSS JOIN (VALUES ('points'), ('wallet')) k(kind)
      GROUP BY t.partner_id, t.company_id, k.kind
            ON CONFLICT (partner_id, company_id, kind)
            DO UPDATE SET balance = EXCLUDED.balance
        """
    )
    cr.execute(
        """
        UPDATE loyalty_transaction t SET balance_after = s.after
          FROM (SELECT id, SUM(amount) OVER (
                       PARTITION BY partner_id, company_id, kind ORDER BY id
                   ) AS after
                  FROM loyalty_transaction) s
         WHERE t.id = s.id
        """
    )
    # loyalty_transaction_member_history_idx starts with partner_id.
    cr.execute("DROP INDEX IF EXISTS loyalty_transaction__partner_id_index")
    cr.execute(
        "ALTER TABLE res_partner DROP COLUMN IF EXISTS loyalty_wallet_balance, "
        "DROP COLUMN IF EXISTS loyalty_points"
    )
