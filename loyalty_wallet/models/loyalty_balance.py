# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL, float_round

from .loyalty_transaction import KINDS, LOTS_PER_STATEMENT


class LoyaltyBalance(models.Model):
    """The balance of one customer, in one company, of one kind.

    A narrow row that only ledger movements lock and write: a sale locks the
    rows of its customer and company, never ``res_partner``, so editing the
    contact, another company's sale, the tier job or the greeting job never
    collide with it. ``res.partner.loyalty_wallet_balance`` and
    ``loyalty_points`` read it for the current company.

    The balance is always the sum of the customer's ledger movements. It is
    negative only after a late order (created at the till while the customer
    held the credit, synced after it was spent elsewhere): the customer's debt,
    settled first by the next credit.
    """

    _name = "loyalty.balance"
    _description = "Loyalty Balance"
    _order = "partner_id, company_id, kind"
    _rec_name = "partner_id"
    # Written on the POS hot path under a row lock: no bookkeeping columns.
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="restrict", readonly=True
    )
    kind = fields.Selection(KINDS, required=True, readonly=True)
    balance = fields.Float(readonly=True, digits=(16, 6))

    _partner_company_kind_unique = models.Constraint(
        "UNIQUE(partner_id, company_id, kind)",
        "A customer has one balance per company and kind.",
    )
    # The leaderboard and the "with credit" filters sort and filter by it.
    _ranking_idx = models.Index("(company_id, kind, balance)")

    @api.model
    def _loyalty_lock_rows(self, partner_ids, company_ids, kinds):
        """Lock (creating them when missing) the balance rows of the partners
        in the companies, in (partner, company, kind) order so that two
        transactions never deadlock; return ``{(partner, company, kind):
        balance}`` as stored, read under the lock.

        The rows exist once a partner has moved credit: the hot path is one
        ``SELECT ... FOR UPDATE``; the first movement also inserts them.
        """
        partner_ids, company_ids = tuple(partner_ids), tuple(company_ids)
        kinds = tuple(kinds)
        wanted = len(partner_ids) * len(company_ids) * len(kinds)
        locked = self._loyalty_select_for_update(partner_ids, company_ids, kinds)
        if len(locked) < wanted:
            self.env.execute_query(
                SQL(
                    """
                    INSERT INTO loyalty_balance (partner_id, company_id, kind, balance)
                    SELECT p, c, k, 0
                      FROM unnest(%s::int[]) p, unnest(%s::int[]) c,
                           unnest(%s::varchar[]) k
                  ORDER BY p, c, k
                        ON CONFLICT (partner_id, company_id, kind) DO NOTHING
                    """,
                    list(partner_ids),
                    list(company_ids),
                    list(kinds),
                )
            )
            locked = self._loyalty_select_for_update(partner_ids, company_ids, kinds)
        return locked

    @api.model
    def _loyalty_select_for_update(self, partner_ids, company_ids, kinds):
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, company_id, kind, balance FROM loyalty_balance
                 WHERE partner_id IN %s AND company_id IN %s AND kind IN %s
              ORDER BY partner_id, company_id, kind
                   FOR NO KEY UPDATE
                """,
                partner_ids,
                company_ids,
                kinds,
            )
        )
        return {(p, c, k): float(b) for p, c, k, b in rows}

    @api.model
    def _loyalty_lock_state(
        self, partner_id, company_id, today, key=None, source=None, lots_of=()
    ):
        """Lock (creating them when missing) the two balance rows of the
        partner in the company and read, in the same statement, what a
        movement needs besides the balances: the first open lots of each kind
        (``LOTS_PER_STATEMENT``, first-expiring-first: a spending consumes
        them), and the movements already posted with idempotency ``key`` or
        by the document ``source`` (``(model, id)``). Bounded reads, along
        indexes: the first lots, the rows of one key or document.

        From the first lots: whether a lot is past its date (``today``: the
        shop's day; the first lot expires first) and what is pending, when
        they are all the open lots (else it is read when a spending needs it:
        see ``loyalty.transaction._loyalty_state_pending``).

        :return: ``{"balances": {kind: balance}, "ids": {kind: row id}, "due":
            {kind: bool}, "pending": {kind: (amount, first day) or None},
            "keys": {key: id}, "lots": {kind: [{"id", "remaining",
            "expiration", "available"}]} (``lots_of`` only; a kind without
            open lots is absent), "lot_updates": {}, "today": today}``.
        """
        kinds = tuple(sorted(kind for kind, _label in KINDS))
        self.env["loyalty.transaction"].flush_model()
        self.flush_model()
        for _attempt in range(2):
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT b.kind, b.balance, b.id,
                           (SELECT json_object_agg(t.idempotency_key, t.id)
                              FROM loyalty_transaction t
                             WHERE (t.idempotency_key = %(key)s
                                    OR (t.source_model = %(model)s
                                        AND t.source_id = %(res_id)s))
                               AND t.idempotency_key IS NOT NULL),
                           (SELECT json_agg(json_build_array(
                                       l.id, l.remaining, l.expiration_date,
                                       l.available_date)
                                   ORDER BY l.expiration_date ASC NULLS LAST,
                                            l.date ASC, l.id ASC)
                              FROM (SELECT t.id, t.remaining, t.expiration_date,
                                           t.available_date, t.date
                                      FROM loyalty_transaction t
                                     WHERE t.partner_id = b.partner_id
                                       AND t.company_id = b.company_id
                                       AND t.kind = b.kind AND t.remaining > 0
                                  ORDER BY t.expiration_date ASC NULLS LAST,
                                           t.date ASC, t.id ASC
                                     LIMIT %(lots)s) l)
                      FROM loyalty_balance b
                     WHERE b.partner_id = %(partner)s AND b.company_id = %(company)s
                       AND b.kind IN %(kinds)s
                  ORDER BY b.partner_id, b.company_id, b.kind
                       FOR NO KEY UPDATE OF b
                    """,
                    partner=partner_id,
                    company=company_id,
                    kinds=kinds,
                    key=key or None,
                    model=source[0] if source else None,
                    res_id=source[1] if source else None,
                    lots=LOTS_PER_STATEMENT,
                )
            )
            if len(rows) == len(kinds):
                break
            self._loyalty_lock_rows([partner_id], [company_id], kinds)
        lots = {row[0]: self._loyalty_read_lots(row[4] or []) for row in rows}
        return {
            "balances": {row[0]: float(row[1]) for row in rows},
            "ids": {row[0]: row[2] for row in rows},
            "due": {
                kind: bool(
                    read and read[0]["expiration"] and read[0]["expiration"] < today
                )
                for kind, read in lots.items()
            },
            "pending": {
                kind: self._loyalty_pending_of_lots(read, today)
                for kind, read in lots.items()
            },
            "keys": rows[0][3] or {},
            "lots": {
                kind: read for kind, read in lots.items() if read and kind in lots_of
            },
            "lot_updates": {},
            # the shop's day the figures above were read for: the posting
            # counts in it to the end
            "today": today,
        }

    @api.model
    def _loyalty_pending_of_lots(self, lots, today):
        """``(amount, first day)`` of what is pending on ``today`` (not yet
        available, not expired) among ``lots``, the first open lots the lock
        statement read; None when there may be more (read on demand)."""
        if len(lots) >= LOTS_PER_STATEMENT:
            return None
        pending = [
            lot
            for lot in lots
            if lot["available"]
            and lot["available"] > today
            and not (lot["expiration"] and lot["expiration"] < today)
        ]
        return (
            float_round(sum(lot["remaining"] for lot in pending), precision_digits=6),
            min((lot["available"] for lot in pending), default=False),
        )

    @api.model
    def _loyalty_read_lots(self, lots):
        """The open lots the lock statement read (JSON), in the shape
        ``_loyalty_consume_read_lots`` takes them from: the first
        ``LOTS_PER_STATEMENT`` only, there may be more."""
        return [
            {
                "id": lot_id,
                "remaining": float(remaining),
                "expiration": fields.Date.to_date(expiration),
                "available": fields.Date.to_date(available),
            }
            for lot_id, remaining, expiration, available in lots
        ]

    @api.model
    def _loyalty_read_kinds(self, partner_id, company_id):
        """``{kind: balance}`` of one partner in one company, as stored."""
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                "SELECT kind, balance FROM loyalty_balance "
                "WHERE partner_id = %s AND company_id = %s",
                partner_id,
                company_id,
            )
        )
        return {kind: 0.0 for kind, _label in KINDS} | {
            kind: float(balance) for kind, balance in rows
        }

    @api.model
    def _loyalty_read(self, partner_ids, company_id, kind):
        """``{partner_id: balance}`` of ``kind`` in ``company_id`` as stored
        (0 for partners without a row)."""
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                "SELECT partner_id, balance FROM loyalty_balance "
                "WHERE partner_id IN %s AND company_id = %s AND kind = %s",
                tuple(partner_ids),
                company_id,
                kind,
            )
        )
        return dict.fromkeys(partner_ids, 0.0) | {p: float(b) for p, b in rows}

    @api.model
    def _loyalty_write(self, partner_id, company_id, kind, value):
        """Store ``value`` in the (locked) row."""
        self.flush_model()
        self.env.execute_query(
            SQL(
                "UPDATE loyalty_balance SET balance = %s WHERE partner_id = %s "
                "AND company_id = %s AND kind = %s",
                value,
                partner_id,
                company_id,
                kind,
            )
        )
        self.invalidate_model(["balance"])

    @api.model
    def _loyalty_balance_sql(self, partner_alias_id, company_id, kind):
        """SQL expression of a partner's balance (0 without a row), for
        searching, sorting and summing ``res.partner`` by it."""
        # Movements of this transaction write the rows through the ORM.
        self.flush_model()
        return SQL(
            "COALESCE((SELECT b.balance FROM loyalty_balance b WHERE "
            "b.partner_id = %s AND b.company_id = %s AND b.kind = %s), 0)",
            partner_alias_id,
            company_id,
            kind,
        )
