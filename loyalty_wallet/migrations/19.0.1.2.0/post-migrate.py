# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner's overview reads monthly figures (loyalty.overview.month) plus
the movements since their fold: fold the whole ledger now, so the first
overview after the upgrade does not scan it. Nothing else writes movements
during the upgrade, so folding up to the highest id is safe.

A company whose Loyalty Debts account is set already had its debts booked to
it from its first booking (the account is proposed with the others): that
first booking counts as its debts opening, so none is booked again."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM loyalty_transaction")
    [highest] = cr.fetchone()
    env["loyalty.overview.month"]._loyalty_fold(upto=highest)
    cr.execute(
        """
        UPDATE loyalty_booking b SET debt_opening = TRUE
          FROM (SELECT DISTINCT ON (b.company_id) b.id
                  FROM loyalty_booking b
                  JOIN res_company c ON c.id = b.company_id
                 WHERE c.loyalty_debt_account_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM loyalty_booking o
                                    WHERE o.company_id = b.company_id
                                      AND o.debt_opening)
              ORDER BY b.company_id, b.date, b.id) first
         WHERE b.id = first.id
        """
    )
