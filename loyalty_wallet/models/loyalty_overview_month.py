# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .loyalty_transaction import KINDS

# The movements up to this id are in the monthly figures.
FOLDED_PARAM = "loyalty_wallet.overview_folded_id"
# The highest id seen by the previous fold: folded by the next one, a day
# later, when every transaction that was writing movements then has ended.
CANDIDATE_PARAM = "loyalty_wallet.overview_fold_candidate_id"
# When the candidate was seen (UTC): it is folded only once it is this old,
# however often the fold runs ("Run Manually" right after the nightly run
# folds nothing). Shorter than a day so a nightly run a little early still
# folds; no transaction writing movements runs for that long.
CANDIDATE_AT_PARAM = "loyalty_wallet.overview_fold_candidate_at"
CANDIDATE_MIN_AGE = timedelta(hours=20)
# Serialises two folds (pg_advisory_xact_lock key: "LOYMONTH").
FOLD_LOCK = 0x4C4F594D4F4E5448

# What a movement counts as in the monthly trend: a reversal taking credit
# back (negative) undoes an earning, one giving it back (positive) undoes a
# spending, whatever the return routine nets into it.
MONTHLY_FIGURES_SQL = """
    COALESCE(SUM(amount) FILTER (
        WHERE operation = 'earn'
           OR (operation = 'adjust' AND amount > 0)
           OR (operation = 'reverse' AND amount < 0)), 0) AS earned,
    -COALESCE(SUM(amount) FILTER (
        WHERE operation IN ('spend', 'convert')
           OR (operation = 'reverse' AND amount > 0)), 0) AS spent,
    -COALESCE(SUM(amount) FILTER (WHERE operation = 'expire'), 0) AS expired,
    COALESCE(SUM(amount), 0) AS net
"""


class LoyaltyOverviewMonth(models.Model):
    """Earned, spent and expired per company, month and kind, of the ledger's
    movements up to one id (``FOLDED_PARAM``).

    Ledger rows are never edited, so a month's figures of the rows already
    folded never change: the overview adds the movements posted since the
    last fold (a range of the primary key: a day or two of movements) instead
    of scanning months of ledger. The nightly job folds."""

    _name = "loyalty.overview.month"
    _description = "Loyalty Monthly Figures"
    _order = "month desc, company_id, kind"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    month = fields.Date(required=True, readonly=True, help="First day of the month.")
    kind = fields.Selection(KINDS, required=True, readonly=True)
    earned = fields.Float(readonly=True, digits=(16, 6))
    spent = fields.Float(readonly=True, digits=(16, 6))
    expired = fields.Float(readonly=True, digits=(16, 6))
    net = fields.Float(
        string="Balance Change",
        readonly=True,
        digits=(16, 6),
        help="Sum of the month's movements: summed over all months, what the "
        "members hold (a balance is the sum of its movements).",
    )

    _month_unique = models.Constraint(
        "UNIQUE(company_id, month, kind)",
        "One row of figures per company, month and kind.",
    )

    @api.model
    def _cron_loyalty_fold(self):
        """Nightly: fold into the monthly figures the movements up to the
        highest id a previous run saw at least ``CANDIDATE_MIN_AGE`` ago (no
        transaction still running can commit a movement below it), and
        remember today's highest id and when for a later run."""
        self._loyalty_fold()

    @api.model
    def _loyalty_fold(self, upto=None):
        """Add the movements after the folded id, up to ``upto`` (default:
        the previous run's candidate), to the monthly figures and move the
        folded id there. Two folds are serialised by an advisory lock and each
        movement is added once (the range starts after the folded id).

        :return: the new folded id.
        """
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", FOLD_LOCK))
        # sudo: the job's bookkeeping; nobody edits these parameters by hand.
        params = self.env["ir.config_parameter"].sudo()
        folded = int(params.get_param(FOLDED_PARAM) or 0)
        self.env.flush_all()
        [(highest,)] = self.env.execute_query(
            SQL("SELECT COALESCE(MAX(id), 0) FROM loyalty_transaction")
        )
        if upto is None:
            upto = int(params.get_param(CANDIDATE_PARAM) or 0)
            seen_at = params.get_param(CANDIDATE_AT_PARAM)
            now = fields.Datetime.now()
            if upto and (
                not seen_at
                or fields.Datetime.to_datetime(seen_at) > now - CANDIDATE_MIN_AGE
            ):
                # too young: a transaction that was running when it was
                # seen may still commit movements below it; keep it
                return folded
            params.set_param(CANDIDATE_PARAM, str(highest))
            params.set_param(CANDIDATE_AT_PARAM, fields.Datetime.to_string(now))
        upto = min(upto, highest)
        if upto <= folded:
            return folded
        self.env.execute_query(
            SQL(
                """
                INSERT INTO loyalty_overview_month AS m (
                    company_id, month, kind, earned, spent, expired, net,
                    create_uid, create_date, write_uid, write_date)
                SELECT company_id, date_trunc('month', date)::date, kind,
                       %(figures)s, %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM loyalty_transaction
                 WHERE id > %(folded)s AND id <= %(upto)s
              GROUP BY 1, 2, 3
                ON CONFLICT (company_id, month, kind) DO UPDATE
                   SET earned = m.earned + EXCLUDED.earned,
                       spent = m.spent + EXCLUDED.spent,
                       expired = m.expired + EXCLUDED.expired,
                       net = m.net + EXCLUDED.net,
                       write_date = EXCLUDED.write_date
                """,
                figures=SQL(MONTHLY_FIGURES_SQL),
                uid=self.env.uid,
                folded=folded,
                upto=upto,
            )
        )
        params.set_param(FOLDED_PARAM, str(upto))
        self.invalidate_model()
        return upto

    @api.model
    def _loyalty_folded_id(self):
        # sudo: a parameter of the job's bookkeeping, read by the overview.
        params = self.env["ir.config_parameter"].sudo()
        return int(params.get_param(FOLDED_PARAM) or 0)

    @api.model
    def _loyalty_held(self, company):
        """``{kind: total}`` of what the members of ``company`` hold: the sum
        of every movement, read as the folded months' balance changes plus
        the movements since the fold (a balance is the sum of its rows)."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT kind, SUM(net) FROM (
                    SELECT kind, net FROM loyalty_overview_month
                     WHERE company_id = %(company)s
                 UNION ALL
                    SELECT kind, amount FROM loyalty_transaction
                     WHERE id > %(folded)s AND company_id = %(company)s
                ) figures
              GROUP BY kind
                """,
                company=company.id,
                folded=self._loyalty_folded_id(),
            )
        )
        return dict(rows)

    @api.model
    def _loyalty_figures_since(self, company, first):
        """``{(month, kind): {earned, spent, expired}}`` of ``company`` from
        the month of ``first`` on: the folded figures plus the movements
        posted since the fold."""
        folded = self._loyalty_folded_id()
        self.env.flush_all()
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT month, kind, SUM(earned) AS earned, SUM(spent) AS spent,
                       SUM(expired) AS expired, SUM(net) AS net
                  FROM (
                    SELECT month, kind, earned, spent, expired, net
                      FROM loyalty_overview_month
                     WHERE company_id = %(company)s AND month >= %(first)s
                 UNION ALL
                    SELECT date_trunc('month', date)::date, kind, %(figures)s
                      FROM loyalty_transaction
                     WHERE id > %(folded)s AND company_id = %(company)s
                       AND date >= %(first)s
                  GROUP BY 1, 2
                  ) figures
              GROUP BY 1, 2
                """,
                company=company.id,
                first=first,
                folded=folded,
                figures=SQL(MONTHLY_FIGURES_SQL),
            )
        )
        return {(row["month"], row["kind"]): row for row in rows}
