# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL

from .loyalty_card import USED_UP_BELOW

REDEEMED_REL = "loyalty_booking_coupon_line_rel"
EXPIRED_REL = "loyalty_booking_coupon_expired_rel"
# A coupon's liability exists in the books only when its conversion was
# booked: the points it was bought with are booked, on the coupon account.
CONVERSION_BOOKED_SQL = """
    c.loyalty_conversion_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM loyalty_booking_transaction_rel cr
                 WHERE cr.transaction_id = c.loyalty_conversion_id)
"""


class LoyaltyBooking(models.Model):
    """The daily job also releases the liability of the coupons made from
    points: what the POS redeemed (the coupon paid part of an order) and what
    expired unused (breakage). Each redeeming order line and each expired
    coupon belongs to at most one booking (unique indexes on the link
    tables), so the job may run any number of times."""

    _inherit = "loyalty.booking"

    coupon_line_ids = fields.Many2many(
        "pos.order.line",
        REDEEMED_REL,
        "booking_id",
        "line_id",
        string="Coupons Redeemed",
        readonly=True,
        help="POS order lines paid with a coupon made from points whose coupon "
        "liability this booking released.",
    )
    coupon_expired_ids = fields.Many2many(
        "loyalty.card",
        EXPIRED_REL,
        "booking_id",
        "card_id",
        string="Coupons Expired",
        readonly=True,
        help="Coupons made from points that expired unused: this booking "
        "turned what was left of them into income.",
    )

    def init(self):
        res = super().init()
        for rel, column in ((REDEEMED_REL, "line_id"), (EXPIRED_REL, "card_id")):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (%s)",
                    SQL.identifier(f"{rel}_{column}_uniq"),
                    SQL.identifier(rel),
                    SQL.identifier(column),
                )
            )
        return res

    # ------------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------------

    def _loyalty_move_lines(self, company, groups):
        """Conversions credit the coupon account with the coupons' face
        value, not with the value of the points they cost: the difference is
        the cashback expense's (a coupon worth less than its points is a
        gain). The coupon account then holds what the open coupons are worth,
        and releasing a redeemed or expired coupon empties it exactly."""
        lines = super()._loyalty_move_lines(company, groups)
        account = company.loyalty_coupon_account_id
        if not account or not any(g["base_op"] == "convert" for g in groups):
            return lines
        [(points, face)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(-t.amount), 0), COALESCE(SUM(h.issued), 0)
                  FROM loyalty_booking_transaction_rel r
                  JOIN loyalty_transaction t
                    ON t.id = r.transaction_id AND t.operation = 'convert'
                  JOIN loyalty_history h
                    ON h.order_model = 'loyalty.transaction' AND h.order_id = t.id
                 WHERE r.booking_id = %s
                """,
                self.id,
            )
        )
        currency = company.currency_id
        difference = currency.round(
            company._loyalty_booking_value("points", points) - currency.round(face)
        )
        if currency.is_zero(difference):
            return lines
        label = self.env._("Coupons from points: their value less the points'")
        return lines + self._loyalty_pair(
            label,
            company.loyalty_cashback_expense_account_id,
            account,
            difference,
        )

    def _loyalty_book_other(self, company, date):
        lines = super()._loyalty_book_other(company, date)
        coupon_lines = self._loyalty_book_coupons(company)
        if coupon_lines is None:
            return lines
        return (lines or []) + coupon_lines

    def _loyalty_book_coupons(self, company):
        """Release the coupon liability of the coupons made from points that
        the POS redeemed (debit the coupon account, credit the account the
        session booked the reward line on: the coupon paid that part of the
        order, like a payment) and of those that expired with value left
        (credit the expired credit income). Only orders of closed sessions
        count, as for the ledger's movements; coupons whose conversion was
        not booked (points not booked) have no liability to release.

        :return: the journal items, or None when nothing was linked.
        """
        self.ensure_one()
        account = company.loyalty_coupon_account_id
        if not account or "points" not in company._loyalty_booked_kinds():
            return None
        self.env.flush_all()
        redeemed = self._loyalty_link_redeemed_coupon_lines(company)
        # A late (offline) order redeeming a coupon whose expiry was booked
        # already: its value left went to the expired credit income then,
        # so the redemption takes it back from there, not from the coupon
        # account a second time. Read before this run links today's expired
        # coupons (their value left is read after the redemptions).
        expired_before = self._loyalty_expired_booked_cards(redeemed.coupon_id)
        expired, expired_count = self._loyalty_link_expired_coupons(company)
        self.invalidate_recordset(["coupon_line_ids", "coupon_expired_ids"])
        if not redeemed and not expired_count:
            return None
        currency = company.currency_id
        by_account = defaultdict(float)
        for line in redeemed:
            order = line.order_id
            income = line._prepare_base_line_for_taxes_computation()["account_id"]
            released = (
                company.loyalty_expired_income_account_id
                if line.coupon_id in expired_before
                else account
            )
            by_account[income, released] += order.currency_id._convert(
                -line.price_subtotal_incl, currency, company, order.date_order
            )
        lines = []
        label = self.env._("Coupons redeemed at the POS")
        late_label = self.env._("Coupons redeemed after their expiry was booked")
        for (income, released), amount in by_account.items():
            lines += self._loyalty_pair(
                label if released == account else late_label,
                income,
                released,
                currency.round(amount),
            )
        lines += self._loyalty_pair(
            self.env._("Coupons expired unused"),
            company.loyalty_expired_income_account_id,
            account,
            currency.round(expired),
        )
        return lines

    def _loyalty_link_redeemed_coupon_lines(self, company):
        """Link to this booking the POS order lines, not booked yet, of closed
        sessions that redeemed a booked coupon; return them (sudo)."""
        rows = self.env.execute_query(
            SQL(
                """
                WITH todo AS (
                    SELECT l.id FROM pos_order_line l
                      JOIN loyalty_card c ON c.id = l.coupon_id
                      JOIN pos_order o ON o.id = l.order_id
                      JOIN pos_session s ON s.id = o.session_id
                     WHERE l.coupon_id IS NOT NULL
                       AND o.company_id = %(company)s
                       AND o.state IN ('paid', 'done', 'invoiced')
                       AND s.state = 'closed'
                       AND %(booked)s
                       AND NOT EXISTS (SELECT 1 FROM %(rel)s r
                                        WHERE r.line_id = l.id)
                       FOR UPDATE OF l SKIP LOCKED
                )
                INSERT INTO %(rel)s (booking_id, line_id)
                SELECT %(booking)s, id FROM todo
             RETURNING line_id
                """,
                company=company.id,
                booked=SQL(CONVERSION_BOOKED_SQL),
                rel=SQL.identifier(REDEEMED_REL),
                booking=self.id,
            )
        )
        # sudo: the job's bookkeeping reads the orders whoever runs it.
        return self.env["pos.order.line"].sudo().browse(row[0] for row in rows)

    def _loyalty_expired_booked_cards(self, cards):
        """Those of ``cards`` whose expiry a booking released already."""
        if not cards:
            return cards
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT card_id FROM %s WHERE card_id IN %s",
                SQL.identifier(EXPIRED_REL),
                tuple(cards.ids),
            )
        )
        return cards.browse(row[0] for row in rows)

    def _loyalty_link_expired_coupons(self, company):
        """Link to this booking the booked coupons past their expiry with
        value left, not booked yet; return ``(value left, count)``."""
        [(value, count)] = self.env.execute_query(
            SQL(
                """
                WITH todo AS (
                    SELECT c.id, c.points FROM loyalty_card c
                     WHERE c.company_id = %(company)s
                       AND c.expiration_date < %(today)s
                       AND c.points >= %(used_up)s
                       AND %(booked)s
                       AND NOT EXISTS (SELECT 1 FROM %(rel)s r
                                        WHERE r.card_id = c.id)
                       FOR UPDATE OF c SKIP LOCKED
                ), linked AS (
                    INSERT INTO %(rel)s (booking_id, card_id)
                    SELECT %(booking)s, id FROM todo
                 RETURNING card_id
                )
                SELECT COALESCE(SUM(todo.points), 0), COUNT(*)
                  FROM todo JOIN linked ON linked.card_id = todo.id
                """,
                company=company.id,
                today=company._loyalty_local_date(),
                used_up=USED_UP_BELOW,
                booked=SQL(CONVERSION_BOOKED_SQL),
                rel=SQL.identifier(EXPIRED_REL),
                booking=self.id,
            )
        )
        return value, count

    def _loyalty_pair(self, label, credited, debited, amount):
        """Two balanced journal items: ``amount`` credited to ``credited`` and
        debited to ``debited`` (the other way round when negative)."""
        if self.company_id.currency_id.is_zero(amount):
            return []
        return [
            {
                "name": label,
                "account_id": account.id,
                "debit": max(balance, 0.0),
                "credit": max(-balance, 0.0),
            }
            for account, balance in ((debited, amount), (credited, -amount))
        ]
