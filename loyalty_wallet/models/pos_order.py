# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, format_amount

from .loyalty_transaction import LATE_ORDER_DELAY_SECONDS

# Ledger figures of an order for its receipt (the POS loads every field of
# pos.order, so they come back with each synced order).
RECEIPT_FIELDS = (
    "loyalty_earned_wallet",
    "loyalty_earned_points",
    "loyalty_spent_wallet",
    "loyalty_spent_points",
    "loyalty_wallet_balance_after",
    "loyalty_points_balance_after",
    "loyalty_topup_wallet",
)
# What the server still lets returns of an order give back, per kind: the
# till caps a refund's wallet/points lines with these.
REFUND_FIELDS = ("loyalty_refundable_wallet", "loyalty_refundable_points")


class PosOrder(models.Model):
    _inherit = "pos.order"

    loyalty_earned_wallet = fields.Float(
        string="Cashback Earned",
        compute="_compute_loyalty_figures",
        help="Cashback this order credited (negative: what this refund took back).",
    )
    loyalty_earned_points = fields.Float(
        string="Points Earned",
        compute="_compute_loyalty_figures",
        digits="Loyalty Points",
    )
    loyalty_spent_wallet = fields.Float(
        string="Paid from Wallet",
        compute="_compute_loyalty_figures",
        help="Wallet credit this order spent (negative: what this refund gave back).",
    )
    loyalty_spent_points = fields.Float(
        string="Points Spent",
        compute="_compute_loyalty_figures",
        digits="Loyalty Points",
    )
    loyalty_wallet_balance_after = fields.Float(
        string="Wallet Balance after the Order",
        compute="_compute_loyalty_figures",
    )
    loyalty_points_balance_after = fields.Float(
        string="Points after the Order",
        compute="_compute_loyalty_figures",
        digits="Loyalty Points",
    )
    loyalty_topup_wallet = fields.Float(
        string="Wallet Top-up",
        compute="_compute_loyalty_figures",
        help="Wallet credit this order's top-up lines bought, bonus included "
        "(negative: what the return of a top-up took back).",
    )
    loyalty_has_movements = fields.Boolean(compute="_compute_loyalty_figures")
    loyalty_refundable_wallet = fields.Float(
        string="Wallet Payment Still Refundable",
        compute="_compute_loyalty_refundable",
        help="What of the wallet credit this order paid with returns can still "
        "give back to the wallet (the till proposes it when the order is "
        "returned).",
    )
    loyalty_refundable_points = fields.Float(
        string="Points Payment Still Refundable",
        compute="_compute_loyalty_refundable",
        digits="Loyalty Points",
        help="What of the points this order paid with returns can still give back.",
    )
    loyalty_debt = fields.Monetary(
        currency_field="loyalty_company_currency_id",
        readonly=True,
        copy=False,
        help="What the customer's wallet or points no longer covered when this "
        "order, created at the till before it reached the server, was synced: "
        "it became the customer's debt, settled first by their next credit.",
    )
    loyalty_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )

    _loyalty_debt_idx = models.Index("(date_order) WHERE loyalty_debt > 0")

    def _compute_loyalty_figures(self):
        """Figures of the ledger rows of each order, and the customer's
        balances right after them (so a reprinted receipt shows the same)."""
        self.loyalty_has_movements = False
        for name in RECEIPT_FIELDS:
            self[name] = 0.0
        orders = self.filtered("id")
        if not orders:
            return
        self.env["loyalty.transaction"].flush_model()
        # SQL: one query for the whole batch; these are figures of orders the
        # user may read, whoever may read the ledger rows themselves.
        rows = self.env.execute_query(
            SQL(
                """
                WITH mine AS (
                    SELECT t.source_id, t.partner_id, t.company_id, t.kind,
                           t.id, t.amount,
                           COALESCE(o.operation, t.operation) AS what
                      FROM loyalty_transaction t
                 LEFT JOIN loyalty_transaction o ON o.id = t.origin_id
                     WHERE t.source_model = 'pos.order' AND t.source_id IN %(ids)s
                       AND t.operation IN ('earn', 'spend', 'reverse', 'topup')
                ), last AS (
                    SELECT source_id, partner_id, company_id, MAX(id) AS last_id
                      FROM mine GROUP BY source_id, partner_id, company_id
                )
                SELECT l.source_id, k.kind,
                       (SELECT COALESCE(SUM(m.amount), 0) FROM mine m
                         WHERE m.source_id = l.source_id AND m.kind = k.kind
                           AND m.what = 'topup'),
                       (SELECT COALESCE(SUM(m.amount), 0) FROM mine m
                         WHERE m.source_id = l.source_id AND m.kind = k.kind
                           AND m.what = 'earn'),
                       (SELECT COALESCE(-SUM(m.amount), 0) FROM mine m
                         WHERE m.source_id = l.source_id AND m.kind = k.kind
                           AND m.what = 'spend'),
                       -- the stored balance after the order's last movement of
                       -- the kind, else after the member's last one before it:
                       -- one row read backwards in the member's history index
                       COALESCE((SELECT b.balance_after FROM loyalty_transaction b
                                   JOIN loyalty_transaction lt ON lt.id = l.last_id
                                  WHERE b.partner_id = l.partner_id
                                    AND b.company_id = l.company_id
                                    AND b.kind = k.kind
                                    AND b.create_date <= lt.create_date
                                    AND b.id <= l.last_id
                               ORDER BY b.create_date DESC, b.id DESC
                                  LIMIT 1), 0)
                  FROM last l CROSS JOIN (VALUES ('wallet'), ('points')) k(kind)
                """,
                ids=tuple(orders.ids),
            )
        )
        for order_id, kind, topup, earned, spent, balance_after in rows:
            order = self.browse(order_id)
            order.loyalty_has_movements = True
            if kind == "wallet":
                order.loyalty_topup_wallet = topup
            order[f"loyalty_earned_{kind}"] = earned
            order[f"loyalty_spent_{kind}"] = spent
            balance_field = (
                "loyalty_wallet_balance_after"
                if kind == "wallet"
                else "loyalty_points_balance_after"
            )
            order[balance_field] = balance_after

    def _loyalty_spent_quantities(self):
        """``{(order id, kind): quantity}`` the orders spent from the wallet
        and points (their ``spend`` movements), in one query."""
        orders = self.filtered("id")
        if not orders:
            return {}
        # sudo: what an order paid with is read for its returns by whoever
        # may read the order (a cashier may not read the ledger).
        groups = (
            self.env["loyalty.transaction"]
            .sudo()
            ._read_group(
                [
                    ("source_model", "=", "pos.order"),
                    ("source_id", "in", orders.ids),
                    ("operation", "=", "spend"),
                ],
                ["source_id", "kind"],
                ["amount:sum"],
            )
        )
        return {(order_id, kind): -amount for order_id, kind, amount in groups}

    def _compute_loyalty_refundable(self):
        refundable = self.env["loyalty.return"]._loyalty_refundable(self.filtered("id"))
        for order in self:
            left = refundable.get(order.id, {})
            order.loyalty_refundable_wallet = left.get("wallet", 0.0)
            order.loyalty_refundable_points = left.get("points", 0.0)

    @api.model
    def _load_pos_data_fields(self, config):
        """The till reads every field of an order (an empty list), so the
        receipt figures and the refundable amounts come with the orders the
        ticket screen loads for a refund; an addon that lists the fields it
        needs keeps ours in the list."""
        fnames = super()._load_pos_data_fields(config)
        if fnames:
            fnames = [
                *fnames,
                "loyalty_has_movements",
                "loyalty_debt",
                *RECEIPT_FIELDS,
                *REFUND_FIELDS,
            ]
        return fnames

    def read_pos_data(self, data, config):
        """Send the customers' new balances back with the synced orders: the
        server computed them, the till only displays them."""
        result = super().read_pos_data(data, config)
        partners = self.partner_id.filtered("commercial_partner_id.loyalty_member")
        if config and partners:
            result["res.partner"] = self.env["res.partner"]._load_pos_data_read(
                partners, config
            )
        return result

    def _process_order(self, order, existing_order):
        """Keep the moment the till took the order: core dates the till's
        current order at the server's clock when it syncs (context
        ``current_order_uuid``), which would make an order synced late, while
        its receipt is still on the till's screen, look as if taken online."""
        if order.get("date_order") and order.get("uuid"):
            # On the cursor, not in the context: a context per order would
            # give every environment of the sync a copy of its own (the ORM
            # looks environments up one by one).
            taken = self.env.cr.cache.setdefault("loyalty_till_date_order", {})
            taken[order["uuid"]] = order["date_order"]
        return super()._process_order(order, existing_order)

    def _loyalty_taken_at(self):
        """When the till took the order: the earlier of ``date_order`` and the
        date its payload carried (never later than what the till claimed)."""
        self.ensure_one()
        sent = self.env.cr.cache.get("loyalty_till_date_order", {}).get(self.uuid)
        sent = fields.Datetime.to_datetime(sent) if sent else False
        if sent and self.date_order:
            return min(sent, self.date_order)
        return sent or self.date_order

    def action_pos_order_paid(self):
        """Spend and earn in the same transaction as the order becomes paid
        (``sync_from_ui`` and the backend payment wizard both come here), so an
        order synced twice or late, offline, is processed exactly once."""
        res = super().action_pos_order_paid()
        for order in self:
            order._loyalty_process_paid_order()
        return res

    def _loyalty_paid_amounts(self):
        """Money paid with each loyalty payment method, e.g. ``{"wallet": 85.0}``."""
        self.ensure_one()
        paid = {}
        for payment in self.payment_ids:
            kind = payment.payment_method_id.loyalty_payment
            if kind:
                paid[kind] = paid.get(kind, 0.0) + payment.amount
        return paid

    def _loyalty_money_to_quantity(self, kind, money, point_value=None):
        """What ``money`` paid with ``kind`` is in that kind's unit (points
        at ``point_value``, default: the company's current value)."""
        if kind == "points":
            return money / (point_value or self.company_id.loyalty_point_value)
        return money

    def _loyalty_quantity_to_money(self, kind, quantity, point_value=None):
        if kind == "points":
            return quantity * (point_value or self.company_id.loyalty_point_value)
        return quantity

    def _loyalty_paid_point_value(self, spent=None):
        """What one point was worth when this paid order spent points (the
        value its points payment was made at), else today's: a return gives
        back the points it took, even if the company changed the value since.
        Only returns need it; ``spent`` is ``_loyalty_spent_quantities()``
        when the caller already has it."""
        self.ensure_one()
        value = self.company_id.loyalty_point_value
        if not self.id or self.lines.filtered("refunded_orderline_id"):
            return value
        if spent is None:
            spent = self._loyalty_spent_quantities()
        points = spent.get((self.id, "points"), 0.0)
        money = self._loyalty_paid_amounts().get("points", 0.0)
        return money / points if points > 0 and money > 0 else value

    def _loyalty_is_late_order(self, partner, kind, quantity):
        """Whether this order was created at the till while the customer's
        balance covered ``quantity``, and reaches the server only now: such an
        order lands even when the balance was spent meanwhile (the rest becomes
        a debt); any other order is refused when the balance is short.

        Decided on the server, from figures the till cannot forge after the
        fact: the moment the till took the order (``_loyalty_taken_at``) must
        be at least ``LATE_ORDER_DELAY_SECONDS`` before now (an order created
        online reaches the server within seconds), and the balance the server
        had *posted* by that moment (``balance_after`` of the member's last
        movement created before it), less what late orders of the same till
        took since, must cover the payment. A cashier who backdates an order
        thus spends at most what the customer held at that moment, once per
        till, and every such order is listed for managers with its cashier and
        till. Two indexed, bounded reads (the member's movements since then).
        """
        self.ensure_one()
        taken_at = self._loyalty_taken_at()
        if not taken_at:
            return False
        now = fields.Datetime.now()
        if taken_at > now - timedelta(seconds=LATE_ORDER_DELAY_SECONDS):
            return False
        self.env["loyalty.transaction"].flush_model()
        [(allowance,)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE((
                    SELECT balance_after FROM loyalty_transaction
                     WHERE partner_id = %(partner)s AND company_id = %(company)s
                       AND kind = %(kind)s AND create_date <= %(date)s
                  ORDER BY create_date DESC, id DESC LIMIT 1), 0)
                     + COALESCE((
                    SELECT SUM(t.amount) FROM loyalty_transaction t
                      JOIN pos_order o ON o.id = t.source_id
                     WHERE t.partner_id = %(partner)s AND t.company_id = %(company)s
                       AND t.kind = %(kind)s AND t.create_date > %(date)s
                       AND t.late_order AND t.source_model = 'pos.order'
                       AND o.config_id = %(config)s), 0)
                """,
                partner=partner.id,
                company=self.company_id.id,
                kind=kind,
                date=taken_at,
                config=self.config_id.id,
            )
        )
        # Credit still pending at that moment (the return window) was not
        # spendable then either: backdating an order does not reach it.
        allowance = float(allowance) - self.env[
            "loyalty.transaction"
        ]._loyalty_pending_at(partner, self.company_id, kind, taken_at)
        return float_compare(allowance, quantity, 6) >= 0

    def _loyalty_process_paid_order(self):
        """What a paid order does to the customer's credit: its returned lines
        return (through ``loyalty.return``), its sold lines spend and earn.
        An order may hold both (an exchange)."""
        self.ensure_one()
        # The order's movements lock and read the customer's balances once.
        with self.env["loyalty.transaction"]._loyalty_document_scope(self):
            self._loyalty_process_paid_order_movements()

    def _loyalty_process_paid_order_movements(self):
        paid = self._loyalty_paid_amounts()
        self._loyalty_check_loyalty_payment(paid)
        returns, given = self._loyalty_plan_returns(paid)
        # What the sold lines paid with each kind: the order's payment plus
        # what its returned lines gave back.
        sale_paid = {
            kind: self.currency_id.round(paid.get(kind, 0.0) + given.get(kind, 0.0))
            for kind in set(paid) | set(given)
        }
        sale_lines = self.lines.filtered(lambda line: not line.refunded_orderline_id)
        # Everything is checked before anything is posted.
        self._loyalty_check_sale_payments(sale_lines, sale_paid)
        self._loyalty_check_unlinked_returns(sale_lines)
        self._loyalty_apply_returns(returns, given)
        # A loyalty payment left once the returns are accounted for is a
        # spending, even without a sold line: never skipped.
        if sale_lines or any(
            not self.currency_id.is_zero(v) for v in sale_paid.values()
        ):
            self._loyalty_process_sale(sale_lines, sale_paid)

    def _loyalty_check_loyalty_payment(self, paid):
        partner = self.partner_id.commercial_partner_id
        if any(paid.values()) and not partner:
            raise UserError(
                self.env._(
                    "Order %s is paid with wallet credit or points but has no "
                    "customer: select the customer first.",
                    self.name,
                )
            )
        if any(paid.values()) and self.currency_id != self.company_id.currency_id:
            raise UserError(
                self.env._(
                    "Order %(order)s is in %(currency)s: wallet credit and points "
                    "are kept in %(company_currency)s, the company's currency, and "
                    "can only pay in a Point of Sale of that currency.",
                    order=self.name,
                    currency=self.currency_id.name,
                    company_currency=self.company_id.currency_id.name,
                )
            )

    def _loyalty_check_sale_payments(self, lines, paid):
        """The wallet/points payments of the sold ``lines`` (``paid``, once
        the returns' give-backs are accounted for) must lie between nothing
        and what they sell: anything else would pay wallet credit out."""
        sale_total = self.currency_id.round(sum(lines.mapped("loyalty_signed_amount")))
        for money in paid.values():
            if self.currency_id.compare_amounts(money, 0.0) < 0:
                raise UserError(
                    self.env._(
                        "Only a return can give money back to the wallet or "
                        "points, and at most what the returned order paid with them."
                    )
                )
            if self.currency_id.compare_amounts(money, sale_total) > 0:
                raise UserError(
                    self.env._(
                        "Order %s pays more with wallet credit or points than "
                        "what it sells: a return gives the rest back to the "
                        "wallet, not in cash.",
                        self.name,
                    )
                )

    def _loyalty_check_unlinked_returns(self, lines):
        """A club member's goods come back through the order they were bought
        with (its share of the cashback is then taken back): an order whose
        sold lines come to less than nothing, by products entered with a
        negative quantity, would return them and keep the cashback."""
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id)
        if not partner.loyalty_member or not self.company_id._loyalty_is_enabled():
            return
        if (
            self.currency_id.compare_amounts(self._loyalty_rewarded_amount(lines), 0.0)
            < 0
        ):
            raise UserError(
                self.env._(
                    "%s is a club member: return their products from the order "
                    "they were bought with (Orders, then Refund), so that the "
                    "cashback and points they earned are taken back.",
                    partner.display_name,
                )
            )

    def _loyalty_process_sale(self, lines, paid):
        """Spend what the sold ``lines`` were paid with from the wallet and
        points, credit their top-ups, and earn on their rewarded amount."""
        partner = self.partner_id.commercial_partner_id
        topup = self._loyalty_check_topup_payment(paid, lines)
        Ledger = self.env["loyalty.transaction"]
        paying = self._loyalty_spendings(partner, paid)
        spent = Ledger
        if topup:
            # What the sale pays is spent before its top-up is credited (the
            # top-up can't pay for the goods it is sold with), and the top-up
            # is credited before the sale earns (it may enrol the customer).
            spent = Ledger.concat(
                *(row for row, new in Ledger._loyalty_post_many(paying) if new)
            )
            paying = []
            self._loyalty_credit_topup(partner, topup)
        if partner:
            base = self._loyalty_rewarded_amount(lines)
            if self.company_id.loyalty_cashback_exclude_loyalty_payments:
                base -= sum(paid.values())
            # The ledger counts in the company's currency.
            base = self.currency_id._convert(
                max(base, 0.0),
                self.company_id.currency_id,
                self.company_id,
                self.date_order,
            )
            # One announcement for the sale: what it paid and what it earned,
            # posted together.
            partner._loyalty_reward_purchase(
                self,
                base,
                self.date_order,
                self.company_id,
                spent=spent,
                paying=paying,
            )
        self._loyalty_record_debt(paid)

    def _loyalty_spendings(self, partner, paid):
        """The movements (not posted) that take what the order paid with each
        loyalty payment method (``paid``: money per kind) from ``partner``."""
        spendings = []
        for kind, money in paid.items():
            if self.currency_id.is_zero(money):
                continue
            quantity = self._loyalty_money_to_quantity(kind, money)
            spendings.append(
                partner._loyalty_spending(
                    kind,
                    quantity,
                    company=self.company_id,
                    source=self,
                    purpose=f"spend:{kind}",
                    description_code="payment",
                    description_params=[self.name],
                    allow_debt=self._loyalty_is_late_order(partner, kind, quantity),
                )
            )
        return spendings

    def _loyalty_record_debt(self, paid):
        """What the order's spendings of ``paid`` could not take (a late
        order): the customer's debt, shown on the order."""
        Ledger = self.env["loyalty.transaction"]
        debt = sum(
            self._loyalty_quantity_to_money(kind, row._loyalty_debt_left())
            for kind, money in paid.items()
            if not self.currency_id.is_zero(money)
            for row in Ledger._loyalty_document_row(self, f"spend:{kind}")
        )
        if debt and not self.loyalty_debt:
            # sudo: the cashier who syncs may not edit paid orders; the debt is
            # the ledger's figure, written once when the order lands.
            self.sudo().loyalty_debt = self.company_id.currency_id.round(debt)

    @api.model
    def _loyalty_rewarded_amount(self, lines):
        """Money of the ``lines`` that counts in the earning base: products
        and categories marked "no cashback or points" and top-ups don't."""
        rewarded = lines.filtered(
            lambda line: line.product_id.product_tmpl_id._loyalty_is_rewarded()
        )
        return sum(rewarded.mapped("loyalty_signed_amount"))

    # ------------------------------------------------------------------
    # Returns: the till describes them, loyalty.return posts them
    # ------------------------------------------------------------------

    def _loyalty_plan_returns(self, paid):
        """What the order's returned lines do, per order they come from,
        decided before anything is posted: the share of each returned unit
        paid with the wallet/points goes back to them (what the server says
        is still refundable), the rest by the other methods.

        :return: ``(returns, given)``: a list of ``(original, lines,
            proposal)`` and ``{kind: money}`` given back to the wallet/points.
        """
        returned = self.lines.filtered("refunded_orderline_id")
        if not returned:
            return [], {}
        self._loyalty_check_returned_quantities(returned)
        for original in returned.refunded_orderline_id.order_id:
            self._loyalty_check_same_customer(original)
        returns = [
            (original, lines, self._loyalty_return_proposal(original, lines))
            for original, lines in returned.grouped(
                lambda line: line.refunded_orderline_id.order_id
            ).items()
        ]
        proposed = {
            kind: sum(proposal.get(kind, 0.0) for _o, _l, proposal in returns)
            for kind in ("wallet", "points")
        }
        given = self._loyalty_given_back(paid, proposed, bool(self.lines - returned))
        return returns, given

    def _loyalty_apply_returns(self, returns, given):
        """Post the planned returns through ``loyalty.return``: each takes
        back its share of what its order earned and gives back its part of
        ``given``."""
        left = dict(given)
        Return = self.env["loyalty.return"]
        for original, lines, proposal in returns:
            point_value = original._loyalty_paid_point_value()
            to_give = {}
            for kind in ("wallet", "points"):
                part = min(proposal.get(kind, 0.0), left[kind])
                left[kind] -= part
                to_give[kind] = original._loyalty_money_to_quantity(
                    kind, part, point_value
                )
            Return._loyalty_return(
                original,
                self,
                goods_share=self._loyalty_returned_share(original, lines),
                topup_share=self._loyalty_returned_share(original, lines, topup=True),
                given=to_give,
            )

    def _loyalty_return_proposal(self, original, lines):
        """``{kind: money}`` the returned ``lines`` of ``original`` give back
        to the wallet and points: the share of each returned unit that was
        paid with them (``pos.order.line.loyalty_*_unit_share``, the figures
        the till shows), at most what is still refundable."""
        refundable = self.env["loyalty.return"]._loyalty_refundable(original)[
            original.id
        ]
        spent = original._loyalty_spent_quantities()
        point_value = original._loyalty_paid_point_value(spent)
        proposal = {}
        for kind in ("wallet", "points"):
            money = sum(
                -line.qty * line.refunded_orderline_id._loyalty_unit_share(kind, spent)
                for line in lines
            )
            cap = original._loyalty_quantity_to_money(
                kind, refundable[kind], point_value
            )
            proposal[kind] = self.currency_id.round(max(min(money, cap), 0.0))
        return proposal

    def _loyalty_given_back(self, paid, proposed, has_sale_lines):
        """``{kind: money}`` the order gives back to the wallet/points, from
        its (signed) loyalty payments ``paid`` and what its returns propose.

        The company's default refuses any other split than the proposal
        (the wallet share of a return goes back to the wallet, whatever the
        till sends); otherwise the cashier may give back less, never more."""
        currency = self.currency_id
        wallet_only = self.company_id.loyalty_refund_to_wallet_only
        given = {}
        for kind in ("wallet", "points"):
            payment = paid.get(kind, 0.0)
            share = proposed.get(kind, 0.0)
            if currency.compare_amounts(-payment, share) > 0:
                raise UserError(
                    self._loyalty_return_split_message(kind, share, -payment)
                )
            if wallet_only:
                if not has_sale_lines and currency.compare_amounts(-payment, share):
                    raise UserError(
                        self._loyalty_return_split_message(kind, share, -payment)
                    )
                given[kind] = share
            else:
                given[kind] = max(min(-payment, share), 0.0)
        return given

    def _loyalty_return_split_message(self, kind, share, asked):
        method = dict(
            self.env["pos.payment.method"]
            ._fields["loyalty_payment"]
            ._description_selection(self.env)
        )[kind]
        currency = self.currency_id
        if self.company_id.loyalty_refund_to_wallet_only:
            return self.env._(
                "This return must give %(share)s back with the %(method)s "
                "payment method (the part the customer paid with it), not "
                "%(asked)s: refund the rest with another payment method.",
                share=format_amount(self.env, share, currency),
                method=method,
                asked=format_amount(self.env, asked, currency),
            )
        return self.env._(
            "This return can give at most %(share)s back with the %(method)s "
            "payment method, not %(asked)s: refund the rest with another "
            "payment method.",
            share=format_amount(self.env, share, currency),
            method=method,
            asked=format_amount(self.env, asked, currency),
        )

    @api.model
    def _loyalty_returned_share(self, original, lines, topup=False):
        """Share of ``original``'s sold rewarded goods (or, with ``topup``,
        of its top-ups) that ``lines`` return, from quantities: each returned
        unit counts what the sold unit cost, whatever amount the till sends
        for the returned line."""

        def counts(sold_line):
            template = sold_line.product_id.product_tmpl_id
            return template.loyalty_topup if topup else template._loyalty_is_rewarded()

        sold_lines = original.lines.filtered(
            lambda line: not line.refunded_orderline_id and counts(line)
        )
        sold = sum(sold_lines.mapped("loyalty_signed_amount"))
        if sold <= 0:
            return 0.0
        if (lines.refunded_orderline_id & sold_lines) and all(
            float_compare(self._loyalty_settled_refunded_qty(line, lines), line.qty, 6)
            >= 0
            for line in sold_lines
        ):
            # The last of the goods comes back: all that is left of the
            # earnings goes with it, not a share of them rounded down (three
            # returns of a third each would leave the customer a cent).
            return 1.0
        returned = sum(
            -line.qty
            / line.refunded_orderline_id.qty
            * line.refunded_orderline_id.loyalty_signed_amount
            for line in lines
            if line.refunded_orderline_id in sold_lines
        )
        return min(max(returned / sold, 0.0), 1.0)

    @api.model
    def _loyalty_settled_refunded_qty(self, sold_line, lines):
        """How much of ``sold_line`` came back through ``lines`` (the return
        being posted) and through refunds already paid: Odoo's
        ``refunded_qty`` also counts draft refunds, which may be cancelled."""
        settled = sold_line.refund_orderline_ids.filtered(
            lambda line: line in lines or line.order_id.state in ("paid", "done")
        )
        return -sum(settled.mapped("qty"))

    def _loyalty_check_returned_quantities(self, lines):
        """Never more returned than sold: over all returns, a sold line gives
        back at most its own quantity (Odoo's till prevents it, a payload
        need not)."""
        for line in lines:
            sold = line.refunded_orderline_id
            if float_compare(sold.refunded_qty, sold.qty, 6) > 0:
                raise UserError(
                    self.env._(
                        "%(product)s: %(returned)s returned in all, but order "
                        "%(order)s sold only %(sold)s.",
                        product=sold.product_id.display_name,
                        returned=sold.refunded_qty,
                        order=sold.order_id.name,
                        sold=sold.qty,
                    )
                )

    def _loyalty_check_same_customer(self, original):
        """A return credits and debits the customer of the order it returns:
        returning another customer's purchase under this customer would spend
        one's wallet for the other's give-back."""
        mine = self.partner_id.commercial_partner_id
        theirs = original.partner_id.commercial_partner_id
        if theirs and mine != theirs:
            raise UserError(
                self.env._(
                    "Order %(order)s was bought by %(customer)s: return it with "
                    "that customer selected.",
                    order=original.name,
                    customer=theirs.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Wallet top-ups sold at the till
    # ------------------------------------------------------------------

    def _loyalty_invoiced_on(self, account):
        """What the posted invoices (or credit notes) of these orders booked
        on ``account`` (a balance), for these orders only: an invoice of
        several orders (consolidated billing, whose orders may belong to other
        sessions) counts for these their share of its top-ups."""
        total = 0.0
        for invoice in self.account_move.filtered(lambda move: move.state == "posted"):
            booked = sum(
                invoice.line_ids.filtered(
                    lambda line: line.account_id == account
                ).mapped("balance")
            )
            if not booked:
                continue
            orders = invoice.pos_order_ids
            mine = orders & self
            if mine != orders:
                # signed: an invoice may hold refunds (negative top-ups)
                topups = sum(order._loyalty_topup_amount() for order in orders)
                mine_topups = sum(order._loyalty_topup_amount() for order in mine)
                booked *= mine_topups / topups if topups else 0.0
            total += invoice.company_id.currency_id.round(booked)
        return total

    def _loyalty_topup_amount(self, lines=None):
        """Money of the top-up lines (default: the order's; negative in a
        return)."""
        self.ensure_one()
        lines = (self.lines if lines is None else lines).filtered(
            "product_id.product_tmpl_id.loyalty_topup"
        )
        return self.currency_id.round(sum(lines.mapped("loyalty_signed_amount")))

    def _loyalty_check_topup_payment(self, paid, lines):
        """The top-up amount of the sold ``lines``, once checked that it is
        bought with money: paying a top-up with the wallet or points would
        turn points into cash credit, or the bonus into a loop."""
        topup = self._loyalty_topup_amount(lines)
        if not topup:
            return 0.0
        if topup < 0:
            raise UserError(
                self.env._("A wallet top-up is given back by refunding its order.")
            )
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "Order %s sells a wallet top-up but has no customer: select "
                    "the customer whose wallet is topped up.",
                    self.name,
                )
            )
        if self.currency_id != self.company_id.currency_id:
            raise UserError(
                self.env._(
                    "A wallet top-up is sold in a Point of Sale in %s, the "
                    "currency of the wallet.",
                    self.company_id.currency_id.name,
                )
            )
        paid_with_money = sum(lines.mapped("loyalty_signed_amount")) - sum(
            paid.values()
        )
        if self.currency_id.compare_amounts(topup, paid_with_money) > 0:
            raise UserError(
                self.env._(
                    "A wallet top-up is paid in cash or by card, not with wallet "
                    "credit or points."
                )
            )
        return topup

    def _loyalty_credit_topup(self, partner, amount):
        """Credit the top-up, then the bonus of the best running campaign.

        Idempotent (one key per order and purpose). The paid amount is posted
        first, so with the same validity it is spent before the bonus and a
        return finds the bonus untouched while any of the top-up is left."""
        company = self.company_id
        if not partner.loyalty_member:
            partner._loyalty_enroll(company, self.date_order)
        rows = partner._loyalty_earn(
            "wallet",
            amount,
            company=company,
            source=self,
            purpose="topup",
            operation="topup",
            date=self.date_order,
            description=self.env._("Wallet top-up %s", self.name),
        )
        percent = self.env["loyalty.campaign"]._loyalty_topup_bonus_percent(
            company, self.date_order
        )
        if percent:
            # An earning: booked as a cost and taken back proportionally when
            # the top-up is returned, like cashback.
            rows |= partner._loyalty_earn(
                "wallet",
                amount * percent / 100.0,
                company=company,
                source=self,
                purpose="earn:topup_bonus",
                date=self.date_order,
                description=self.env._(
                    "Top-up bonus on %(order)s (%(percent)s%%)",
                    order=self.name,
                    percent=f"{percent:g}",
                ),
            )
        partner._loyalty_notify("earned", rows)
        return rows
