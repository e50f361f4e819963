# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount, formatLang

# The earning of a top-up order's campaign bonus: taken back with the share of
# the top-up returned, not with the share of the goods.
TOPUP_BONUS_PURPOSE = "earn:topup_bonus"


class LoyaltyReturn(models.AbstractModel):
    """The one place that decides what a return does to credit and points.

    Every caller (refund orders synced from the till or made with *Return
    Products*, orders mixing returned and sold lines, credit notes, invoices
    reset to draft or cancelled, cancelled credit notes) describes the return
    — which document, which share of its goods, what goes back to the wallet
    or points — and this routine posts it:

    1. per kind, what the return gives back (of what the document paid with
       the kind) and takes back (its share of what the document earned) are
       computed first; the give-back is posted before the take-back, so the
       take-back uses it and only a *net* take-back larger than the balance is
       a shortfall: the customer ends with exactly the refunded share of what
       they paid minus the refunded share of what they earned;
    2. over all returns of a document, no more is given back than it paid and
       no more taken back than it earned (asking for more is refused);
    3. credit given back gets at least the company's validity from the day of
       the return; what expired is not counted as taken back.

    The state lives in the ledger itself: a give-back is a ``reverse`` row
    whose origin is the document's ``spend`` row, a take-back one whose origin
    is its ``earn`` row (idempotent per refund document and origin), a
    restored take-back (a cancelled credit note) one whose origin is the
    take-back.
    """

    _name = "loyalty.return"
    _description = "Loyalty Return Routine"

    # ------------------------------------------------------------------
    # What a document can still give back
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_refundable(self, documents):
        """``{document id: {kind: quantity}}``: what of the wallet credit and
        points each document paid with can still be given back by returns.
        One query for the batch (the till loads it with the orders)."""
        result = {doc_id: {"wallet": 0.0, "points": 0.0} for doc_id in documents.ids}
        if not documents.ids:
            return result
        self.env["loyalty.transaction"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT s.source_id, s.kind,
                       SUM(-s.amount) - COALESCE(SUM((
                           SELECT SUM(g.amount) FROM loyalty_transaction g
                            WHERE g.origin_id = s.id AND g.operation = 'reverse')), 0)
                  FROM loyalty_transaction s
                 WHERE s.source_model = %(model)s AND s.source_id IN %(ids)s
                   AND s.operation = 'spend'
              GROUP BY s.source_id, s.kind
                """,
                model=documents._name,
                ids=tuple(documents.ids),
            )
        )
        for doc_id, kind, left in rows:
            result[doc_id][kind] = max(float(left), 0.0)
        return result

    # ------------------------------------------------------------------
    # The routine
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_return(
        self,
        document,
        refund,
        *,
        goods_share,
        topup_share=None,
        given=None,
        generation=0,
    ):
        """Post what ``refund`` returning a part of ``document`` does.

        :param goods_share: the share (0-1] of the document's rewarded goods
            returned: it takes back that share of each earning of the document
            (at most what is left of it over all returns).
        :param topup_share: the share of its wallet top-ups returned (the
            campaign bonus they earned); default: ``goods_share``.
        :param given: ``{kind: quantity}`` to give back to the wallet/points,
            of what the document paid with them; more than is left is refused.
        :param generation: bumps the take-back keys of a refund document that
            is posted, cancelled and posted again (a credit note).
        :return: the new ledger rows.
        """
        Transaction = self.env["loyalty.transaction"]
        given = {kind: qty for kind, qty in (given or {}).items() if qty}
        if topup_share is None:
            topup_share = goods_share
        # sudo: the cashier or accountant returning goods may not read the
        # ledger; the rows are found by their document only.
        rows = Transaction.sudo().search(
            [
                ("source_model", "=", document._name),
                ("source_id", "=", document.id),
                ("operation", "in", ("earn", "spend", "topup")),
            ],
            order="id",
        )
        topups = rows.filtered(lambda r: r.operation == "topup")
        # Checked before anything is posted.
        for lot in topups:
            self._loyalty_check_topup_return(document, lot, topup_share)
        posted = Transaction
        for lot in topups:
            posted |= self._loyalty_take_back(lot, refund, topup_share, generation)
        for kind in ("wallet", "points"):
            kind_rows = rows.filtered(lambda r, k=kind: r.kind == k)
            posted |= self._loyalty_give_back(
                document,
                refund,
                kind_rows.filtered(lambda r: r.operation == "spend"),
                given.get(kind, 0.0),
                kind,
            )
            for earning in kind_rows.filtered(lambda r: r.operation == "earn"):
                share = (
                    topup_share
                    if earning.idempotency_key.endswith(f":{TOPUP_BONUS_PURPOSE}")
                    else goods_share
                )
                posted |= self._loyalty_take_back(earning, refund, share, generation)
        posted = posted.sudo(False)
        if posted:
            self.env["res.partner"]._loyalty_notify("reversed", posted)
        return posted

    @api.model
    def _loyalty_give_back(self, document, refund, spendings, quantity, kind):
        """Give ``quantity`` back to the wallet/points, taken from what the
        ``spendings`` of ``document`` still have to give back (oldest first)."""
        Transaction = self.env["loyalty.transaction"]
        if not quantity:
            return Transaction
        # sudo: a billing user may not read POS orders; their company only.
        company = document.sudo().company_id
        left = sum(spendings.mapped(lambda s: s._loyalty_left_to_give_back()))
        if company._loyalty_round(kind, quantity - left) > 0:
            raise UserError(
                self._loyalty_too_much_message(document, kind, quantity, left)
            )
        posted = Transaction
        to_give = quantity
        for spending in spendings:
            part = min(spending._loyalty_left_to_give_back(), to_give)
            if company._loyalty_round(kind, part) <= 0:
                continue
            posted |= self._loyalty_post_reversal(
                spending,
                refund,
                part,
                f"reverse:{spending.id}",
                expiration_date=self._loyalty_given_back_expiry(spending),
            )
            to_give = company._loyalty_round(kind, to_give - part)
        return posted

    @api.model
    def _loyalty_check_topup_return(self, document, lot, share):
        """A returned top-up takes back its share of the credit it bought
        from what is still unspent of it: the customer cannot get cash back
        for credit already spent, so a return of more is refused."""
        company = document.sudo().company_id
        wanted = min(lot.amount * min(share, 1.0), lot._loyalty_left_to_take_back())
        if company._loyalty_round("wallet", wanted - lot.remaining) > 0:
            raise UserError(
                self.env._(
                    "Only %(left)s of the wallet top-up of %(order)s is still "
                    "unspent: refund at most that amount.",
                    left=format_amount(self.env, lot.remaining, company.currency_id),
                    order=document.sudo().display_name,
                )
            )

    @api.model
    def _loyalty_take_back(self, earning, refund, share, generation=0):
        """Take back ``share`` of ``earning`` (or of a top-up lot), at most
        what is left of it (an expiry is not a take-back); what the balance no
        longer holds is the shortfall. The earned lot itself is consumed
        first, pending or not."""
        company = earning.company_id
        wanted = min(
            earning.amount * min(share, 1.0), earning._loyalty_left_to_take_back()
        )
        if company._loyalty_round(earning.kind, wanted) <= 0:
            return self.env["loyalty.transaction"]
        suffix = f":{generation}" if generation else ""
        # Pending credit can only have gone to pay a debt (it is not
        # spendable): taking it back inside the window reopens that debt
        # instead of leaving a shortfall.
        pending = bool(
            earning.available_date
            and earning.available_date > company._loyalty_local_date()
        )
        return self._loyalty_post_reversal(
            earning,
            refund,
            -wanted,
            f"reverse:{earning.id}{suffix}",
            allow_partial=not pending,
            allow_debt=pending,
        )

    @api.model
    def _loyalty_recover_shortfalls(self, document, earnings):
        """Take from ``earnings`` (a document's new earnings, posted again
        after a reset) what its earlier earnings of the same kind could not
        take back when it was reset: otherwise spending the cashback, then
        resetting and posting the invoice again, would earn it twice."""
        Transaction = self.env["loyalty.transaction"]
        posted = Transaction
        for earning in earnings.sudo():
            owed = document._loyalty_unrecovered_shortfall(earning.kind, earnings)
            wanted = min(owed, earning._loyalty_left_to_take_back())
            if earning.company_id._loyalty_round(earning.kind, wanted) <= 0:
                continue
            posted |= self._loyalty_post_reversal(
                earning, document, -wanted, f"recover:{earning.id}", allow_partial=True
            )
        return posted.sudo(False)

    @api.model
    def _loyalty_restore(self, refund):
        """Undo the take-backs of ``refund`` (a credit note cancelled or reset
        to draft): give back what they actually took; their earnings count as
        not taken back any more."""
        Transaction = self.env["loyalty.transaction"]
        # sudo: as in _loyalty_return, the accountant may not read the ledger.
        take_backs = Transaction.sudo().search(
            [
                ("source_model", "=", refund._name),
                ("source_id", "=", refund.id),
                ("operation", "=", "reverse"),
                # a top-up lot is taken back like an earning (the cash
                # paid for it went back to the customer)
                ("origin_id.operation", "in", ("earn", "topup")),
            ],
            order="id",
        )
        posted = Transaction
        for take_back in take_backs.filtered(
            lambda r: (
                not r._loyalty_is_restored() and not r.origin_id._loyalty_is_voided()
            )
        ):
            if not take_back.amount:
                # Nothing was taken (all of it was a shortfall): nothing to
                # give back. Its claim stays counted against the earning.
                continue
            posted |= self._loyalty_post_reversal(
                take_back,
                refund,
                -take_back.amount,
                f"restore:{take_back.id}",
                expiration_date=self._loyalty_given_back_expiry(take_back.origin_id),
                # Still inside the sale's return window: pending again.
                available_date=self._loyalty_still_pending(take_back.origin_id),
            )
        posted = posted.sudo(False)
        if posted:
            self.env["res.partner"]._loyalty_notify("reversed", posted)
        return posted

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_post_reversal(self, origin, source, amount, purpose, **kwargs):
        """Post, through the ledger, a reversal of ``origin`` caused by
        ``source`` (signed ``amount``, idempotent per ``source`` and
        ``purpose``). A replay (the same return synced or processed again)
        returns nothing, so nothing is announced twice."""
        Transaction = self.env["loyalty.transaction"]
        row, new = Transaction._loyalty_post(
            origin.partner_id,
            origin.kind,
            "reverse",
            amount,
            company=origin.company_id,
            source=source,
            purpose=purpose,
            description_code="reversal",
            description=self.env._("Reversal: %s", origin.description),
            origin=origin,
            return_status=True,
            **kwargs,
        )
        return row if new else Transaction

    @api.model
    def _loyalty_still_pending(self, earning):
        """The availability date of ``earning`` while it is still ahead (a
        restored earning waits out what is left of its window), else None."""
        day = earning.available_date
        if day and day > earning.company_id._loyalty_local_date():
            return day
        return None

    @api.model
    def _loyalty_given_back_expiry(self, movement):
        """Credit given back keeps the expiry of what it comes from, but
        never arrives already expired: at least the company's validity from
        the day of the return (False: never expires)."""
        company = movement.company_id
        fresh = company._loyalty_expiration_date(movement.kind, fields.Datetime.now())
        if not fresh or not movement.expiration_date:
            return False
        return max(fresh, movement.expiration_date)

    @api.model
    def _loyalty_too_much_message(self, document, kind, asked, left):
        # sudo: as in _loyalty_give_back.
        document = document.sudo()
        company = document.company_id
        if kind == "wallet":
            asked_text = format_amount(self.env, asked, company.currency_id)
            left_text = format_amount(self.env, left, company.currency_id)
            return self.env._(
                "This return gives back %(asked)s to the wallet, but %(document)s "
                "has only %(left)s of wallet payments left to give back.",
                asked=asked_text,
                document=document.display_name,
                left=left_text,
            )
        return self.env._(
            "This return gives back %(asked)s points, but %(document)s has only "
            "%(left)s points of payments left to give back.",
            asked=formatLang(self.env, asked, digits=2),
            document=document.display_name,
            left=formatLang(self.env, left, digits=2),
        )
