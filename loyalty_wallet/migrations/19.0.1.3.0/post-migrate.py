# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The expiry now writes one ``expire`` row per customer and kind for each run,
and each expired lot records what expired of it and by which row
(``expired_amount``, ``expired_by_id``). The lots expired before name their
expire row through its ``origin_id`` (one row per lot): they get the same
figures from it. The old rows are left as they are (the ledger is never
edited)."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE loyalty_transaction lot
           SET expired_amount = -e.amount, expired_by_id = e.id
          FROM loyalty_transaction e
         WHERE e.operation = 'expire' AND e.origin_id = lot.id
           AND lot.expired_by_id IS NULL
        """
    )
