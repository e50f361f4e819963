# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from contextlib import contextmanager

import psycopg2
from psycopg2.extras import Json as PsycopgJson

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare
from odoo.tools.translate import LazyTranslate

from ..tools import LEDGER_WRITE, format_loyalty_date, ledger_token, with_ledger_token

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

KINDS = [("wallet", "Wallet"), ("points", "Points")]
OPERATIONS = [
    ("earn", "Earn"),
    ("spend", "Spend"),
    ("expire", "Expire"),
    ("adjust", "Adjust"),
    ("reverse", "Reverse"),
    ("convert", "Convert"),
    ("topup", "Top-up"),
]
BALANCE_FIELDS = {"wallet": "loyalty_wallet_balance", "points": "loyalty_points"}
# The contact's figures of each kind read from the ledger (see res.partner):
# a movement of that kind makes them stale.
PARTNER_LEDGER_FIELDS = {
    kind: [
        balance,
        *(
            f"loyalty_{kind}_{figure}"
            for figure in ("pending", "pending_date", "available", "expiring_soon")
        ),
    ]
    for kind, balance in BALANCE_FIELDS.items()
}
ALL_PARTNER_LEDGER_FIELDS = [
    fname for fnames in PARTNER_LEDGER_FIELDS.values() for fname in fnames
]
# What happened, for the descriptions the ledger writes itself: a row stores
# the code and its parameters, and is shown in the reader's language whoever
# posted it (see ``_loyalty_description_templates``).
DESCRIPTION_TEMPLATES = {
    "welcome": _lt("Welcome to the club"),
    "cashback": _lt("Cashback on %(doc)s (%(offer)s)"),
    "points": _lt("Points on %s"),
    "payment": _lt("Payment of %s"),
    "expired": _lt("Expired"),
}
# The only columns the ledger itself updates after posting: the bookkeeping of
# a lot. Everything else of a posted row is immutable.
LOT_BOOKKEEPING_FIELDS = {"remaining", "expiry_reminder_sent"}
# Movements that pay with credit: they take only what is available, never
# credit still pending (see ``available_date``).
SPENDING_OPERATIONS = ("spend", "convert")
# An order whose date at the till is at least this much older than its sync
# was created offline (a till's clock may be this much off).
LATE_ORDER_DELAY_SECONDS = 120
# Where a document's scope keeps what its movements read under the lock (see
# ``_loyalty_document_scope``).
SCOPE_KEY = "loyalty_ledger_scope"
# Open lots a spending reads and consumes per statement (most spendings need
# one or two lots).
LOTS_PER_STATEMENT = 20
# What consuming a lot changes on it (see _loyalty_set_remaining_sql), and
# what is computed from that.
LOT_UPDATED_FIELDS = [
    "remaining",
    "wallet_remaining",
    "points_remaining",
    "write_uid",
    "write_date",
    "expiring_soon",
]


class LoyaltyTransaction(models.Model):
    """One movement of the loyalty ledger.

    A positive row is a *lot*: ``remaining`` tells how much of it is still
    available and ``expiration_date`` when that remainder expires. Rows are
    created only through :meth:`_loyalty_post`, never edited nor deleted.
    """

    _name = "loyalty.transaction"
    _description = "Loyalty Ledger Movement"
    _order = "date desc, id desc"
    _rec_name = "description"

    # Indexed by _member_history_idx, which starts with it (one index less
    # to write per movement).
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        ondelete="restrict",
        readonly=True,
        default=lambda self: self.env.company,
    )
    kind = fields.Selection(KINDS, required=True, readonly=True)
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
        help="The company currency for wallet movements; empty for points.",
    )
    # Money and points never add up: ``amount`` and ``remaining`` mix both
    # kinds, so they are not summed in groups; reports sum the per-kind
    # measures below instead.
    amount = fields.Monetary(
        readonly=True,
        aggregator=None,
        help="Signed: positive adds to the balance, negative takes.",
    )
    remaining = fields.Monetary(
        readonly=True,
        aggregator=None,
        help="For a positive movement (a lot): what is still available of it.",
    )
    company_currency_id = fields.Many2one(
        string="Company Currency",
        related="company_id.currency_id",
        store=True,
        precompute=True,
        help="The currency of the wallet measures, set on every row so that "
        "their totals are never a mix of currencies.",
    )
    wallet_amount = fields.Monetary(
        currency_field="company_currency_id",
        compute="_compute_kind_measures",
        store=True,
        precompute=True,
        help="The amount of a wallet movement (money); 0 for points.",
    )
    points_amount = fields.Float(
        compute="_compute_kind_measures",
        store=True,
        precompute=True,
        digits="Loyalty Points",
        help="The amount of a points movement; 0 for wallet credit.",
    )
    wallet_remaining = fields.Monetary(
        currency_field="company_currency_id",
        compute="_compute_kind_measures",
        store=True,
        precompute=True,
        help="What is still available of a wallet lot (money).",
    )
    points_remaining = fields.Float(
        compute="_compute_kind_measures",
        store=True,
        precompute=True,
        digits="Loyalty Points",
        help="What is still available of a points lot.",
    )
    shortfall = fields.Monetary(
        readonly=True,
        help="What a reversal should have taken back but could not, because "
        "the customer had already spent it.",
    )
    balance_after = fields.Float(
        readonly=True,
        digits=(16, 6),
        help="The customer's balance of this kind in this company right after "
        "the movement (stored once: receipts never sum the ledger).",
    )
    expiration_date = fields.Date(
        readonly=True,
        help="For a lot: the day after which its remainder expires. For a "
        "spending: the latest expiry of the lots it consumed (a refund gives the "
        "credit back with that expiry).",
    )
    available_date = fields.Date(
        readonly=True,
        help="For a lot earned by a sale: the day from which it may be spent "
        "(the company's return window after the sale). Until then it is pending: "
        "in the balance, but not spendable, and a return simply cancels it.",
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    description = fields.Char(
        string="Description as Posted",
        required=True,
        readonly=True,
        translate=False,
        help="The text as posted (the manager's reason of an adjustment).",
    )
    description_code = fields.Char(
        readonly=True,
        help="What happened, when the ledger wrote the description itself: "
        "the row is then described in the reader's language.",
    )
    description_params = fields.Json(readonly=True)
    description_display = fields.Char(
        string="Description",
        compute="_compute_description_display",
        help="The description in the reader's language.",
    )
    expiring_soon = fields.Boolean(
        compute="_compute_expiring_soon",
        search="_search_expiring_soon",
        help="An open lot that expires within the company's reminder days.",
    )
    source_model = fields.Char(readonly=True)
    source_id = fields.Many2oneReference(
        string="Source Record ID", model_field="source_model", readonly=True
    )
    source_name = fields.Char(
        string="Source", readonly=True, help="The document that caused the movement."
    )
    idempotency_key = fields.Char(readonly=True, copy=False)
    origin_id = fields.Many2one(
        "loyalty.transaction",
        string="Origin Movement",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
        help="For a reversal, the movement it reverses (an expiry names no "
        "origin: its lots name it, see Expired By).",
    )
    derived_ids = fields.One2many(
        "loyalty.transaction",
        "origin_id",
        string="Reversals and Expiries",
        help="Movements that reversed or expired this one.",
    )
    expired_amount = fields.Monetary(
        readonly=True,
        copy=False,
        aggregator=None,
        help="For a lot: what remained of it when it expired.",
    )
    expired_by_id = fields.Many2one(
        "loyalty.transaction",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="For a lot: the expiry movement that took what remained of it "
        "(one movement per customer and kind for each run of the expiry).",
    )
    expiry_reminder_sent = fields.Boolean(readonly=True, copy=False)
    late_order = fields.Boolean(
        readonly=True,
        copy=False,
        help="Spent by an order created at the till before it reached the "
        "server: it may have left a debt (negative remaining).",
    )
    booking_ids = fields.Many2many(
        "loyalty.booking",
        "loyalty_booking_transaction_rel",
        "transaction_id",
        "booking_id",
        readonly=True,
        copy=False,
        help="The journal entry booking this movement (at most one); empty "
        "while it is not booked yet.",
    )

    _idempotency_key_unique = models.Constraint(
        "UNIQUE(idempotency_key)",
        "This document already moved this customer's credit or points.",
    )
    _amount_not_zero = models.Constraint(
        "CHECK(amount <> 0 OR shortfall > 0)",
        "A ledger movement cannot be zero.",
    )
    _remaining_in_lot = models.Constraint(
        "CHECK(remaining >= LEAST(amount, 0) AND remaining <= GREATEST(amount, 0) "
        "AND (remaining >= 0 OR late_order))",
        "What remains of a lot must lie between zero and the lot's amount; only "
        "a late order may leave a debt (a negative remainder).",
    )
    # Open debts are few and read only when a balance is negative.
    _open_debts_idx = models.Index(
        "(partner_id, company_id, kind, date, id) WHERE remaining < 0"
    )
    _open_lots_idx = models.Index(
        "(partner_id, company_id, kind, expiration_date, date, id) WHERE remaining > 0"
    )
    _due_lots_idx = models.Index("(expiration_date) WHERE remaining > 0")
    # Pending lots are the few earned inside the return window: their sum is
    # read along this index, never by scanning the member's ledger.
    _pending_lots_idx = models.Index(
        "(partner_id, company_id, kind, available_date) "
        "WHERE remaining > 0 AND available_date IS NOT NULL"
    )
    # The balance known at a moment (receipts, late orders): the last row of
    # the member posted before it, read backwards from that moment.
    _member_history_idx = models.Index(
        "(partner_id, company_id, kind, create_date, id)"
    )
    _source_idx = models.Index(
        "(source_model, source_id) WHERE source_model IS NOT NULL"
    )

    @api.depends("kind", "company_id")
    def _compute_currency_id(self):
        for row in self:
            row.currency_id = (
                row.company_id.currency_id if row.kind == "wallet" else False
            )

    @api.depends("kind", "amount", "remaining")
    def _compute_kind_measures(self):
        for row in self:
            row.update(self._loyalty_kind_measures(row.kind, row.amount, row.remaining))

    @api.model
    def _loyalty_kind_measures(self, kind, amount, remaining):
        """The per-kind measures of a row of ``kind``: money and points are
        summed apart, never together."""
        wallet = kind == "wallet"
        return {
            "wallet_amount": amount if wallet else 0.0,
            "wallet_remaining": remaining if wallet else 0.0,
            "points_amount": 0.0 if wallet else amount,
            "points_remaining": 0.0 if wallet else remaining,
        }

    @api.depends("description", "description_code", "description_params")
    @api.depends_context("lang")
    def _compute_description_display(self):
        offer_names = self._loyalty_offer_names()
        for row in self:
            row.description_display = row._loyalty_describe(offer_names)

    @api.depends("description", "description_code", "description_params")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for row in self:
            row.display_name = row.description_display

    @api.depends("remaining", "expiration_date")
    @api.depends_context("uid")
    def _compute_expiring_soon(self):
        soon = self.search([("id", "in", self.ids), ("expiring_soon", "=", True)])
        for row in self:
            row.expiring_soon = row in soon

    def _search_expiring_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Expiring Soon."))
        today = fields.Date.context_today(self)
        # "Soon" is each company's reminder horizon, not any dated lot.
        domain = Domain.OR(
            Domain(
                [
                    ("company_id", "=", company.id),
                    ("remaining", ">", 0),
                    ("expiration_date", ">=", today),
                    (
                        "expiration_date",
                        "<=",
                        fields.Date.add(
                            today, days=company.loyalty_expiry_reminder_days
                        ),
                    ),
                ]
            )
            for company in self.env.companies
        )
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------------
    # Immutability
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Even under sudo(): another addon's code must go through the ledger
        # API, which locks the partner and keeps the balance equal to the rows
        # (the ledger inserts its own rows, see _loyalty_insert).
        if ledger_token(self.env) is not LEDGER_WRITE:
            raise UserError(
                self.env._(
                    "Ledger movements are recorded by the loyalty ledger only "
                    "(sales, refunds, adjustments by a Loyalty Manager)."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if ledger_token(self.env) is not LEDGER_WRITE or (
            set(vals) - LOT_BOOKKEEPING_FIELDS
        ):
            raise UserError(
                self.env._(
                    "Ledger movements cannot be changed. Record a correction "
                    "(an adjustment) instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Ledger movements cannot be deleted. Record a correction "
                "(an adjustment) instead."
            )
        )

    # ------------------------------------------------------------------
    # Descriptions in the reader's language
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_description_templates(self):
        """Code -> lazy translated template of the descriptions the suite writes
        itself; addons add their own codes by extending it."""
        return dict(DESCRIPTION_TEMPLATES)

    @api.model
    def _loyalty_describe_new(self, code, params):
        """The text of ``code`` with ``params`` in the current language (the
        stored ``description`` of a new row), or "" for no known code."""
        template = self._loyalty_description_templates().get(code)
        if not template:
            return ""
        return self._loyalty_fill(self.env._(template), params)

    def _loyalty_describe(self, offer_names=None):
        """This row's description in the current language: the template of its
        code filled with its parameters, a reversal naming what it reverses;
        the stored text when it has no (known) code. ``offer_names``: see
        ``_loyalty_offer_names`` (read for this row when not given)."""
        self.ensure_one()
        if self.description_code == "reversal" and self.origin_id:
            return self.env._("Reversal: %s", self.origin_id.description_display)
        template = self._loyalty_description_templates().get(self.description_code)
        if not template:
            return self.description
        try:
            return self._loyalty_fill(
                self.env._(template), self._loyalty_params_in_language(offer_names)
            )
        except (KeyError, TypeError, ValueError):
            # A broken translation must not hide the movement.
            return self.description

    def _loyalty_params_in_language(self, offer_names=None):
        """This row's description parameters, with the cashback offer (a tier,
        a campaign, the base cashback) named in the current language rather
        than in the language of whoever posted the row."""
        params = self.description_params
        if not isinstance(params, dict) or not params.get("offer_ref"):
            return params
        if offer_names is None:
            offer_names = self._loyalty_offer_names()
        name = offer_names.get(params["offer_ref"])
        return dict(params, offer=name) if name else params

    def _loyalty_offer_names(self):
        """``{offer reference: name in the current language}`` of the cashback
        offers these rows were earned under ("base", or "model,id" of one of
        ``_loyalty_offer_models``), read with one query per model; an offer
        deleted since keeps the name the row was posted with."""
        names = {"base": self.env._("Base cashback")}
        ids_by_model = defaultdict(set)
        for params in self.mapped("description_params"):
            ref = params.get("offer_ref") if isinstance(params, dict) else None
            model, _sep, res_id = (ref or "").partition(",")
            if model in self._loyalty_offer_models() and res_id.isdigit():
                ids_by_model[model].add(int(res_id))
        for model, ids in ids_by_model.items():
            # sudo: whoever may read the rows (a portal customer, a cashier)
            # reads the names of the offers they were earned under, nothing else.
            for offer in self.env[model].sudo().browse(ids).exists():
                names[f"{model},{offer.id}"] = offer.name
        return names

    @api.model
    def _loyalty_offer_models(self):
        """Models whose records are cashback offers named in descriptions
        (``loyalty_tier`` adds its tiers)."""
        return ("loyalty.campaign",)

    @api.model
    def _loyalty_fill(self, text, params):
        """``text`` % ``params`` (a list for ``%s``, a dict for ``%(name)s``)."""
        if not params:
            return text
        return text % (tuple(params) if isinstance(params, list) else params)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_source(self):
        self.ensure_one()
        if not self.source_model or not self.source_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.source_model,
            "res_id": self.source_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # The ledger API: the one way to move credit or points
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_operation_label(self, operation):
        """The operation's label in the current language (the default
        description of a movement)."""
        labels = self._fields["operation"]._description_selection(self.env)
        return dict(labels)[operation]

    @api.model
    def _loyalty_format_date(self, value, with_time=False):
        """``value`` as the reader of the current language expects it (Jalali
        for Persian); for the portal page and the mail templates."""
        return format_loyalty_date(self.env, value, with_time=with_time)

    @api.model
    def _loyalty_format_points(self, value):
        """``value`` points in the current language without useless decimals
        ("140", "1,038", "12.5")."""
        digits = self.env["decimal.precision"].precision_get("Loyalty Points")
        text = tools.formatLang(self.env, value or 0.0, digits=digits)
        decimal_point = tools.misc.get_lang(self.env).decimal_point
        if decimal_point in text:
            text = text.rstrip("0").rstrip(decimal_point)
        return text

    @api.model
    def _loyalty_key(self, source, purpose):
        """Idempotency key of the movement ``purpose`` caused by ``source``."""
        if not source or not purpose:
            return False
        return f"{source._name},{source.id}:{purpose}"

    @api.model
    def _loyalty_post(
        self,
        partner,
        kind,
        operation,
        amount,
        *,
        company=None,
        source=None,
        purpose=None,
        description=None,
        description_code=None,
        description_params=None,
        date=None,
        expiration_date=None,
        available_date=None,
        origin=None,
        allow_partial=False,
        allow_debt=False,
        return_status=False,
    ):
        """Post one movement and update the partner's balance.

        Guarantees, all inside the caller's database transaction:

        - the partner's balance rows (``loyalty.balance``, never the contact)
          are locked first, so two tills spending the same wallet are
          serialised (the second one sees the first one's spending, or fails
          with a serialization error that Odoo retries);
        - a movement with a ``source`` and ``purpose`` is posted at most once
          (unique idempotency key): posting it again returns the existing row;
        - a negative movement never takes more than the balance: it raises a
          ``UserError``, or with ``allow_partial`` takes what is there and
          records the rest as ``shortfall``;
        - negative movements consume lots first-expiring-first (a reversal
          consumes the lot it reverses first);
        - a positive movement with an ``available_date`` after today is
          pending until then: it counts in the balance, but spending
          (``SPENDING_OPERATIONS``) neither consumes it nor counts it as
          available; reversals, adjustments and expiry may take it;
        - ``allow_debt`` (a late order, see ``pos.order``) takes the whole
          amount: what the balance does not cover stays on the row as a
          negative ``remaining``, the customer's debt, and the balance goes
          below zero. A positive movement settles open debts first (oldest
          first) and keeps only the rest as its lot.

        ``description_code`` (a key of ``_loyalty_description_templates``)
        and its ``description_params`` describe the row in the reader's
        language; ``description`` keeps the text as posted.

        :return: the posted row, the existing one, or an empty recordset when
            the rounded amount is zero; with ``return_status``, ``(row, new)``
            where ``new`` is False for a replay: events are announced for new
            rows only.
        """
        movement = self._loyalty_prepare_movement(
            partner,
            kind,
            operation,
            amount,
            company=company,
            source=source,
            purpose=purpose,
            description=description,
            description_code=description_code,
            description_params=description_params,
            date=date,
            expiration_date=expiration_date,
            available_date=available_date,
            origin=origin,
            allow_partial=allow_partial,
            allow_debt=allow_debt,
            # a spending takes the lots read with the balances (see
            # _loyalty_post_many)
            lots_of=(kind,) if amount < 0 and not origin else (),
        )
        [(row, new)] = self._loyalty_create_movements([movement])
        return (row, new) if return_status else row

    @api.model
    def _loyalty_post_many(self, movements):
        """Post several movements (dicts of ``_loyalty_post``'s arguments,
        without ``return_status``) as ``_loyalty_post`` would one after the
        other, with one lock and read of the balances per customer and
        company and one INSERT for the new rows (e.g. the cashback and the
        points of a sale).

        :return: a list of ``(row, new)``, in the order of ``movements``.
        """
        if not movements:
            return []
        results = []
        # The open lots of what is spent are read with the balances, under
        # the lock, and consumed with the INSERT (see _loyalty_consume_lots).
        lots_of = tuple(
            sorted(
                {
                    m["kind"]
                    for m in movements
                    if m["amount"] < 0 and not m.get("origin")
                }
            )
        )
        with self._loyalty_document_scope(movements[0].get("source")):
            try:
                prepared = []
                for movement in movements:
                    if self._loyalty_needs_posted(prepared, movement["amount"]):
                        results += self._loyalty_create_movements(prepared)
                        prepared = []
                    prepared.append(
                        self._loyalty_prepare_movement(**movement, lots_of=lots_of)
                    )
                results += self._loyalty_create_movements(prepared)
            except Exception:
                # What was prepared and not inserted is counted in the states:
                # forget them, so that the figures are read again. The lots
                # consumed for the movements prepared before the failure may
                # already be stored: a caller that catches the error and goes
                # on must do so under a savepoint, as with any failed write.
                # (A savepoint's rollback does not clear the cursor's cache
                # where the document's scope lives: no savepoint may be
                # rolled back inside a scope, see _loyalty_document_scope.)
                scope = self.env.cr.cache.get(SCOPE_KEY)
                if scope:
                    scope["states"].clear()
                raise
        return results

    @api.model
    def _loyalty_needs_posted(self, prepared, amount):
        """Whether the ``prepared`` rows must be in the database before a
        movement of ``amount`` is prepared: a spending may consume a lot
        prepared before it, and new credit settles a debt prepared before it
        (both read the rows). Spendings first, then credit, is one INSERT."""
        rows = [item["vals"] for item in prepared if isinstance(item, dict)]
        if amount < 0:
            return any(vals["amount"] > 0 for vals in rows)
        return any(vals["remaining"] < 0 for vals in rows)

    def _loyalty_debt_left(self):
        """What this spending could not take when it was posted (a late
        order's debt), from its immutable figures: later credit settles the
        debt (``remaining``), not this."""
        self.ensure_one()
        return max(0.0, min(-self.amount, -self.balance_after))

    @api.model
    def _loyalty_document_row(self, source, purpose):
        """The row ``source`` posted for ``purpose`` (empty if none): inside
        the document's scope, from what was read under the lock."""
        key = self._loyalty_key(source, purpose)
        scope = self.env.cr.cache.get(SCOPE_KEY)
        if (
            scope
            and scope["source"] == (source._name, source.id)
            and scope["keys"] is not None
        ):
            # Every row of the document, read under the lock, and the new ones.
            return self.browse(scope["keys"].get(key) or ())
        return self.browse(self._loyalty_existing_keys(key)[key] or ())

    @api.model
    def _loyalty_prepare_movement(
        self,
        partner,
        kind,
        operation,
        amount,
        *,
        company=None,
        source=None,
        purpose=None,
        description=None,
        description_code=None,
        description_params=None,
        date=None,
        expiration_date=None,
        available_date=None,
        origin=None,
        allow_partial=False,
        allow_debt=False,
        lots_of=(),
    ):
        """Everything ``_loyalty_post`` does before the INSERT: the checks,
        the lots consumed, the debts settled, the row's values. The customer's
        figures in the lock state already count the movement.

        :return: the existing row of a replay, an empty recordset for a zero
            amount, or the values and state to create the row with (see
            ``_loyalty_create_movements``).
        """
        company = company or self.env.company
        partner = partner.commercial_partner_id
        amount = company._loyalty_round(kind, amount)
        if not amount:
            return self.browse()
        key = self._loyalty_key(source, purpose)
        state = self._loyalty_state(partner, company, key, lots_of)
        if key and state["keys"].get(key):
            return self.browse(state["keys"][key])
        if amount < 0 and any(state["due"].values()):
            # A lot past its date is not spendable, even before the nightly
            # expiry ran: expire it now, under the lock just taken.
            self._loyalty_store_read_lots(state)
            self._loyalty_expire_partner_due_lots(partner, company, state["today"])
            state["balances"].update(
                self.env["loyalty.balance"]._loyalty_read_kinds(partner.id, company.id)
            )
            state["due"] = dict.fromkeys(state["due"], False)
        balance = state["balances"][kind]
        spending = amount < 0 and operation in SPENDING_OPERATIONS
        pending, pending_date = 0.0, False
        if (
            spending
            # a late order spends pending credit too; lots at hand that
            # cover the spending leave nothing to know about what is pending
            and not allow_debt
            and not self._loyalty_read_lots_cover(state, kind, company, -amount)
        ):
            pending, pending_date = self._loyalty_state_pending(
                state, partner, company, kind
            )
        # A late order is a fact: it takes pending credit before it leaves a
        # debt (a debt never stands beside open lots).
        available = max(balance - (0.0 if allow_debt else pending), 0.0)
        shortfall = debt = 0.0
        if amount < 0 and float_compare(-amount, available, 6) > 0:
            if allow_debt:
                debt = company._loyalty_round(kind, -amount - available)
            elif not allow_partial:
                raise UserError(
                    partner._loyalty_short_message(
                        kind,
                        -amount,
                        balance - pending,
                        company,
                        pending=pending,
                        pending_date=pending_date,
                    )
                )
            else:
                shortfall = company._loyalty_round(kind, -amount - available)
                amount = -available
        consumed_expiry = False
        if amount < 0 and float_compare(-amount - debt, 0.0, 6) > 0:
            consumed_expiry = self._loyalty_consume_lots(
                partner,
                kind,
                company,
                -amount - debt,
                first=origin,
                spendable_on=state["today"] if spending else None,
                pending_last=allow_debt,
                state=state,
            )
        remaining = -debt
        if amount > 0:
            remaining = amount
            if balance < 0:
                remaining -= self._loyalty_settle_debts(partner, kind, company, amount)
        vals = {
            "partner_id": partner.id,
            "company_id": company.id,
            "kind": kind,
            "operation": operation,
            "amount": amount,
            "remaining": company._loyalty_round(kind, remaining),
            "shortfall": shortfall,
            "late_order": allow_debt,
            "balance_after": company._loyalty_round(kind, balance + amount),
            "date": date or fields.Datetime.now(),
            "expiration_date": expiration_date if amount > 0 else consumed_expiry,
            "available_date": (available_date or False) if amount > 0 else False,
            "description": description
            or self._loyalty_describe_new(description_code, description_params)
            or self._loyalty_operation_label(operation),
            "description_code": description_code or False,
            "description_params": description_params or False,
            "idempotency_key": key,
            "origin_id": origin.id if origin else False,
        }
        if source:
            vals.update(
                source_model=source._name,
                source_id=source.id,
                source_name=source.display_name,
            )
        self._loyalty_state_counted(state, company, vals)
        return {"vals": vals, "state": state, "partner": partner}

    @api.model
    def _loyalty_create_movements(self, prepared):
        """Create the rows ``_loyalty_prepare_movement`` prepared and store
        the balances they leave (in the locked rows), in one statement.

        :return: a list of ``(row, new)``, in the order of ``prepared``.
        """
        todo = [item for item in prepared if isinstance(item, dict)]
        if self._loyalty_extended_elsewhere():
            created = iter(self._loyalty_create_with_orm(todo))
        else:
            created = iter(self._loyalty_insert(todo))
        results = []
        for item in prepared:
            if not isinstance(item, dict):
                results.append((item, False))
                continue
            row, vals, state = next(created), item["vals"], item["state"]
            # every contact of the member company shows its figures ("John,
            # ACME" at the till): no SQL, whatever the number of contacts
            self.env["res.partner"].invalidate_model(
                PARTNER_LEDGER_FIELDS[vals["kind"]]
            )
            if vals["idempotency_key"]:
                state["keys"][vals["idempotency_key"]] = row.id
            results.append((row, True))
        return results

    @api.model
    @tools.ormcache()
    def _loyalty_extended_elsewhere(self):
        """Whether another addon (or a custom field made in the user
        interface) added stored fields, constraints or a ``create`` to the
        ledger's rows: ``_loyalty_insert`` knows only this addon's columns,
        so such a ledger is written through the ORM (its defaults, computes,
        constraints and overrides apply), slower but complete. An addon that
        only redefines an attribute of one of our fields takes that path too."""
        own = {None, self._original_module}  # None: the id
        return (
            any(
                field.store and (field.manual or field._module not in own)
                for field in self._fields.values()
            )
            # this addon declares no Python constraint on its rows
            or bool(self._constraint_methods)
            or type(self).create.__module__ != __name__
        )

    @api.model
    def _loyalty_create_with_orm(self, items):
        """``_loyalty_insert`` through the ORM's ``create`` (see
        ``_loyalty_extended_elsewhere``): the same rows and balances."""
        self._loyalty_write_remaining(
            self._loyalty_pop_lot_updates(self._loyalty_item_states(items))
        )
        # sudo: ledger rows are created only here, after the checks and under
        # the balance lock; no user group may create them itself.
        created = with_ledger_token(self.sudo()).create(
            [item["vals"] for item in items]
        )
        Balance = with_ledger_token(self.env["loyalty.balance"].sudo())
        for balance_id, balance in self._loyalty_final_balances(items).items():
            Balance.browse(balance_id).balance = balance
        return self.browse(created.ids)

    @api.model
    def _loyalty_insert(self, items):
        """INSERT the rows of ``items`` (prepared movements, see
        ``_loyalty_prepare_movement``) and write the balances they leave into
        the locked balance rows, in one statement; the new rows are put in the
        cache as stored.

        Not the ORM's ``create``, on purpose: on the till's hot path its
        generic work (a virtual record per monetary value to find its
        currency, the per-kind measures computed on virtual records, one
        statement per model) cost more than all the rest of a movement. The
        ledger has every value at hand, rounded as stored; ``create`` itself
        stays closed to everyone (see above).
        """
        if not items:
            return self.browse()
        self.flush_model()
        self.env["loyalty.balance"].flush_model(["balance"])
        layout = self._loyalty_insert_layout()
        # The lots the spendings took (read under the lock) are updated by
        # the same statement.
        lots = self._loyalty_pop_lot_updates(self._loyalty_item_states(items))
        rows = [self._loyalty_cache_values(layout, item["vals"]) for item in items]
        balances = self._loyalty_final_balances(items)
        ids = [
            row_id
            for (row_id,) in self.env.execute_query(
                SQL(
                    """
                    WITH %s balances AS (
                        UPDATE loyalty_balance b SET balance = v.balance
                          FROM (VALUES %s) AS v(id, balance)
                         WHERE b.id = v.id
                    )
                    INSERT INTO loyalty_transaction (%s) VALUES %s RETURNING id
                    """,
                    SQL("consumed AS (%s),", self._loyalty_remaining_update_sql(lots))
                    if lots
                    else SQL(),
                    SQL(", ").join(
                        SQL("(%s, %s::numeric)", balance_id, balance)
                        for balance_id, balance in balances.items()
                    ),
                    layout["columns_sql"],
                    SQL(", ").join(
                        self._loyalty_column_values(layout, row) for row in rows
                    ),
                )
            )
        ]
        self.env["loyalty.balance"].browse(balances).invalidate_recordset(["balance"])
        self._loyalty_lots_changed(lot_id for lot_id, _left in lots)
        created = self.browse(ids)
        self._loyalty_cache_new_rows(layout, created, rows)
        # What depends on ledger rows learns of the new ones; their own
        # computed columns were stored above.
        with self.env.protecting(layout["computed"], created):
            created.modified(layout["names"], create=True)
        return created

    @api.model
    @tools.ormcache()
    def _loyalty_insert_layout(self):
        """What ``_loyalty_insert`` writes, worked out once per registry: the
        stored columns (in the INSERT's order, and that list as SQL), how each
        value becomes a query parameter, the x2many fields a new row has
        empty, the many2one fields whose inverse one2many must learn of new
        rows, the computed columns (stored by the INSERT itself)."""
        columns = tuple(
            field
            for field in self._fields.values()
            if field.store and field.column_type and field.name != "id"
        )
        return {
            "columns": columns,
            "names": tuple(field.name for field in columns),
            "columns_sql": SQL(", ").join(
                SQL.identifier(field.name) for field in columns
            ),
            # {column: the type of a value that is its cache format already}:
            # ids and plain texts (empty: None in the cache)
            "as_is": {
                f.name: int if f.type == "many2one" else str
                for f in columns
                if f.type == "many2one"
                or (f.type == "char" and not f.translate and not f.size)
            },
            # a cached value is its query parameter, except for JSON (a
            # translated or company-dependent column, which is JSON too,
            # sends the ledger through the ORM: _loyalty_extended_elsewhere)
            "as_json": frozenset(f.name for f in columns if f.type == "json"),
            "x2many": tuple(
                field
                for field in self._fields.values()
                if field.store and field.type in ("one2many", "many2many")
            ),
            "inverse_many2one": tuple(
                field
                for field in columns
                if field.type == "many2one" and self.pool.field_inverses[field]
            ),
            "computed": tuple(field for field in columns if field.compute),
        }

    @api.model
    def _loyalty_cache_values(self, layout, vals):
        """``{column: value in the cache's format}`` of the row of ``vals``
        (see ``_loyalty_row_values``); columns it does not name are empty."""
        values = self._loyalty_row_values(vals)
        row = {}
        for field in layout["columns"]:
            value = values.get(field.name, False)
            if value is False and field.name in layout["as_is"]:
                row[field.name] = None
            elif layout["as_is"].get(field.name) is type(value) and value:
                # an id or a plain text is its cache format
                row[field.name] = value
            else:
                # the ledger's values are its own, rounded as stored; a
                # selection is checked (cheap), a monetary is not re-rounded
                row[field.name] = field.convert_to_cache(
                    value, self, validate=field.type == "selection"
                )
        return row

    @api.model
    def _loyalty_column_values(self, layout, row):
        """The query parameters of one row, in the layout's order: the value
        in the cache's format is what psycopg2 stores, but for JSON."""
        return tuple(
            PsycopgJson(row[field.name])
            if field.name in layout["as_json"] and row[field.name] is not None
            else row[field.name]
            for field in layout["columns"]
        )

    @api.model
    def _loyalty_cache_new_rows(self, layout, created, rows):
        """Put the new rows in the cache as the ORM's ``create`` does: every
        stored field known (no x2many read back: a new row has none), and the
        cached one2many of the records they name (a movement's reversals, a
        partner's movements) gain them, or a second return in the same
        transaction would miss the first."""
        for field in layout["columns"]:
            # what _update_cache does for a plain column, once per field
            cache = field._get_cache(self.env)
            for row_id, row in zip(created._ids, rows, strict=True):
                cache[row_id] = row[field.name]
        for field in layout["x2many"]:
            field._update_cache(created, ())
        for field in layout["inverse_many2one"]:
            by_value = defaultdict(list)
            for row_id, row in zip(created._ids, rows, strict=True):
                if row[field.name]:
                    by_value[row[field.name]].append(row_id)
            for value, row_ids in by_value.items():
                field._update_inverses(self.browse(row_ids), value)

    @api.model
    def _loyalty_final_balances(self, items):
        """``{balance row id: balance}`` the prepared ``items`` leave: the
        last movement of a kind leaves the balance of its row."""
        return {
            item["state"]["ids"][item["vals"]["kind"]]: item["state"]["balances"][
                item["vals"]["kind"]
            ]
            for item in items
        }

    @api.model
    def _loyalty_item_states(self, items):
        """The states of prepared ``items``, each once."""
        return list({id(item["state"]): item["state"] for item in items}.values())

    @api.model
    def _loyalty_row_values(self, vals):
        """``vals`` with what the ORM computes on create: the currencies, the
        per-kind measures and the bookkeeping columns."""
        company = self.env["res.company"].browse(vals["company_id"])
        now = self.env.cr.now()
        return {
            "source_model": False,
            "source_id": False,
            "source_name": False,
            **vals,
            "currency_id": company.currency_id.id
            if vals["kind"] == "wallet"
            else False,
            "company_currency_id": company.currency_id.id,
            **self._loyalty_kind_measures(
                vals["kind"], vals["amount"], vals["remaining"]
            ),
            "expired_amount": 0.0,
            "expiry_reminder_sent": False,
            "create_uid": self.env.uid,
            "create_date": now,
            "write_uid": self.env.uid,
            "write_date": now,
        }

    # ------------------------------------------------------------------
    # What a movement needs to know, read once under the lock
    # ------------------------------------------------------------------

    @contextmanager
    def _loyalty_document_scope(self, source):
        """While ``source`` (a document: a POS order) moves credit, the
        movements it posts share what they read under the lock: the balance
        rows are locked and read once per customer and company, with whether
        lots are due, what is pending and the movements ``source`` already
        posted (its idempotency keys), instead of once per movement. Every
        movement keeps the figures up to date; leaving the scope forgets
        them (the lock itself lasts until the end of the transaction).

        The figures live in the cursor's cache, which a savepoint's rollback
        leaves as it was: code running inside the scope must not roll back a
        savepoint over ledger movements and go on (the scope would count
        movements that are gone); a failure of the ledger itself forgets
        them (see _loyalty_post_many)."""
        cache = self.env.cr.cache
        if SCOPE_KEY in cache:  # nested: the outer document's scope holds
            yield
            return
        cache[SCOPE_KEY] = {
            "prefix": f"{source._name},{source.id}:" if source else None,
            "source": (source._name, source.id) if source else None,
            "keys": None if source else {},
            "states": {},
        }
        try:
            yield
        finally:
            cache.pop(SCOPE_KEY, None)

    @api.model
    def _loyalty_state(self, partner, company, key, lots_of=()):
        """Lock the balance rows of ``partner`` in ``company`` and return what
        posting needs: ``{"balances": {kind: balance}, "due": {kind: whether a
        lot is past its date}, "pending": {kind: (amount, first day) or None
        when unknown}, "keys": {idempotency key: row id}}`` (``key``'s row if
        it exists; inside a document scope, every row of the document), with
        ``"lots"``: the first open lots of the kinds ``lots_of`` (see
        ``_loyalty_consume_lots``) and ``"today"``: the shop's day all of it
        was read for, which the posting keeps to the end (a scope that spans
        the shop's midnight spends nothing the lock saw as due). One
        statement; inside a scope, once per customer and company."""
        scope = self.env.cr.cache.get(SCOPE_KEY)
        in_scope = bool(
            scope and key and scope["prefix"] and key.startswith(scope["prefix"])
        )
        if scope:
            state = scope["states"].get((partner.id, company.id))
            if state is not None:
                if key and not in_scope and key not in state["keys"]:
                    state["keys"].update(self._loyalty_existing_keys(key))
                return state
        source = scope["source"] if scope and scope["keys"] is None else None
        state = self.env["loyalty.balance"]._loyalty_lock_state(
            partner.id,
            company.id,
            company._loyalty_local_date(),
            key=None if in_scope else key,
            source=source,
            lots_of=lots_of,
        )
        if scope:
            if source:
                scope["keys"] = state["keys"]
            else:
                scope["keys"].update(state["keys"])
            # One map of keys for the scope, shared by its customers.
            state["keys"] = scope["keys"]
            scope["states"][partner.id, company.id] = state
        return state

    @api.model
    def _loyalty_existing_keys(self, key):
        self.flush_model(["idempotency_key"])
        rows = self.env.execute_query(
            SQL("SELECT id FROM loyalty_transaction WHERE idempotency_key = %s", key)
        )
        return {key: rows[0][0] if rows else False}

    @api.model
    def _loyalty_state_pending(self, state, partner, company, kind):
        pending = state["pending"].get(kind)
        if pending is None:
            # Only read: the lots read under the lock stay good (those
            # consumed from them are stored first and were updated in place).
            self._loyalty_store_read_lots(state, keep_lots=True)
            pending = self._loyalty_pending_sums(
                [partner.id], company, kind, today=state["today"]
            ).get((partner.id, kind), (0.0, False))
            state["pending"][kind] = pending
        return pending

    @api.model
    def _loyalty_read_lots_cover(self, state, kind, company, amount):
        """Whether the open lots of ``kind`` the lock read, spendable today,
        hold ``amount``: then the balance less what is pending does too."""
        spendable = sum(
            lot["remaining"]
            for lot in self._loyalty_spendable_read_lots(state, kind, state["today"])
        )
        return float_compare(spendable, amount, 6) >= 0

    @api.model
    def _loyalty_spendable_read_lots(self, state, kind, spendable_on):
        """The open lots of ``kind`` the lock read (in their order), less
        those still pending on ``spendable_on`` (a spending's day; None
        takes them all)."""
        return [
            lot
            for lot in state["lots"].get(kind, ())
            if not (
                spendable_on and lot["available"] and lot["available"] > spendable_on
            )
        ]

    @api.model
    def _loyalty_state_counted(self, state, company, vals):
        """Keep ``state`` true once the movement of ``vals`` is posted."""
        kind = vals["kind"]
        state["balances"][kind] = company._loyalty_round(
            kind, state["balances"][kind] + vals["amount"]
        )
        today = state["today"]
        available = fields.Date.to_date(vals["available_date"])
        expiration = fields.Date.to_date(vals["expiration_date"])
        if vals["amount"] < 0 or (available and available > today):
            # Lots consumed (pending ones, maybe) or a pending lot added.
            state["pending"][kind] = None
        if vals["amount"] > 0 and expiration and expiration < today:
            # Earned by a document older than its validity: due at once.
            state["due"][kind] = True

    @api.model
    def _loyalty_expire_partner_due_lots(self, partner, company, today=None):
        """Expire the due lots of one (locked) partner in ``company``, on
        ``today`` (default: the shop's date)."""
        self.env.flush_all()
        expired = self.browse(
            row[0]
            for row in self.env.execute_query(
                self._loyalty_expire_lots_sql(
                    company, [partner.id], today or company._loyalty_local_date()
                )
            )
        )
        if expired:
            self.env["res.partner"].invalidate_model(ALL_PARTNER_LEDGER_FIELDS)
            self.env["loyalty.balance"].invalidate_model(["balance"])
            self.invalidate_model()
            self.env["res.partner"]._loyalty_notify("expired", expired)
        return expired

    @api.model
    def _loyalty_pending_sums(self, partner_ids, company, kind=None, today=None):
        """What is still pending in the lots of ``partner_ids`` in ``company``
        (available after ``today``, default the shop's today), with the day
        its first part becomes available: ``{(partner_id, kind): (amount,
        date)}``.

        One query along ``_pending_lots_idx``: it reads only the lots of the
        return window, whatever the size of the members' ledgers. A lot past
        its expiry is not pending (it is due, see ``_loyalty_due_remaining``).
        """
        if not partner_ids:
            return {}
        today = today or company._loyalty_local_date()
        self.flush_model(["remaining", "available_date", "expiration_date"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, kind, SUM(remaining), MIN(available_date)
                  FROM loyalty_transaction
                 WHERE partner_id IN %(partners)s AND company_id = %(company)s
                   AND kind IN %(kinds)s
                   AND remaining > 0 AND available_date > %(today)s
                   AND (expiration_date IS NULL OR expiration_date >= %(today)s)
              GROUP BY partner_id, kind
                """,
                partners=tuple(partner_ids),
                company=company.id,
                kinds=(kind,) if kind else tuple(BALANCE_FIELDS),
                today=today,
            )
        )
        return {
            (partner_id, row_kind): (float(total), available)
            for partner_id, row_kind, total, available in rows
        }

    @api.model
    def _loyalty_pending_at(self, partner, company, kind, moment):
        """What of the lots posted by ``moment`` (a UTC datetime) was still
        pending on the shop's day of it, as far as it remains: the late-order
        check does not count it as spendable then. Along ``_pending_lots_idx``.
        """
        self.flush_model(["remaining", "available_date"])
        [(total,)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(remaining), 0) FROM loyalty_transaction
                 WHERE partner_id = %(partner)s AND company_id = %(company)s
                   AND kind = %(kind)s AND remaining > 0
                   AND available_date > %(day)s AND create_date <= %(moment)s
                """,
                partner=partner.id,
                company=company.id,
                kind=kind,
                day=company._loyalty_local_date(moment),
                moment=moment,
            )
        )
        return float(total)

    @api.model
    def _loyalty_consume_lots(
        self,
        partner,
        kind,
        company,
        amount,
        first=None,
        spendable_on=None,
        pending_last=False,
        state=None,
    ):
        """Take ``amount`` from the open lots, first-expiring-first.

        ``first`` (lots, e.g. the ones a reversal takes back) are consumed
        before any other, pending or not. With ``spendable_on`` (a spending),
        the other lots still pending on that day are left alone, unless
        ``pending_last`` (a late order) lets them go after the spendable ones.
        A plain spending whose ``state`` holds the first open lots of
        ``kind`` (read under the lock) takes them there; their new remainders
        are stored by the INSERT of the movements (``_loyalty_insert``).

        :return: the latest expiry date among the consumed lots (False when one
            of them never expires).
        """
        # Rounded as the lots are, so that no lot keeps a float's residue.
        to_take = company._loyalty_round(kind, amount)
        expiries = []
        from_read_lots = (
            state and not first and not pending_last and state["lots"].get(kind)
        )
        if state and not from_read_lots:
            self._loyalty_store_read_lots(state)  # the database is read below
        if first:
            to_take, expiries = self._loyalty_consume_first(
                first, kind, company, to_take
            )
        elif from_read_lots:
            to_take, expiries = self._loyalty_consume_read_lots(
                state, kind, company, to_take, spendable_on
            )
        passes = [spendable_on]
        if spendable_on and pending_last:
            passes.append(None)
        for spendable in passes:
            while float_compare(to_take, 0.0, 6) > 0:
                taken = self._loyalty_take_lots(
                    partner, kind, company, to_take, spendable
                )
                to_take = company._loyalty_round(
                    kind, to_take - sum(quantity for quantity, _expiry in taken)
                )
                expiries += [expiry for _quantity, expiry in taken]
                if len(taken) < LOTS_PER_STATEMENT:
                    break  # no open lot left
        if float_compare(to_take, 0.0, 6) > 0:
            # The balance said there was enough: lots and balance disagree.
            raise UserError(
                self.env._(
                    "The loyalty ledger of %s is inconsistent; please contact "
                    "your administrator.",
                    partner.display_name,
                )
            )
        if not expiries or not all(expiries):
            return False
        return max(expiries)

    @api.model
    def _loyalty_consume_read_lots(self, state, kind, company, amount, spendable_on):
        """Take up to ``amount`` from the open lots of ``kind`` that ``state``
        read under the lock (the first ``LOTS_PER_STATEMENT``, in their
        order), keeping their new remainders in ``state["lot_updates"]``
        until the movements are inserted; return what is left to take and
        the expiries of the lots taken from. When those lots don't cover
        ``amount``, what they gave is stored now and the caller takes the
        rest from the database.

        The remainders are absolute figures read under the balance lock:
        another transaction's change to a lot comes with one to its balance
        row, which in Odoo's REPEATABLE READ transactions makes the lock fail
        (and the request retried) instead of the lot being read stale."""
        amount, expiries, left = self._loyalty_take_in_order(
            self._loyalty_spendable_read_lots(state, kind, spendable_on),
            kind,
            company,
            amount,
        )
        state["lot_updates"].update(left)
        if float_compare(amount, 0.0, 6) > 0:
            self._loyalty_store_read_lots(state)  # the rest is read below
        return amount, expiries

    @api.model
    def _loyalty_take_in_order(self, lots, kind, company, amount):
        """Take up to ``amount`` from ``lots`` (dicts with ``id``,
        ``remaining`` and ``expiration``), in their order; their
        ``remaining`` is updated.

        :return: what is left to take, the expiries of the lots taken from
            and their new remainders ``[(id, remaining)]``."""
        expiries, left = [], []
        for lot in lots:
            if float_compare(amount, 0.0, 6) <= 0:
                break
            if lot["remaining"] <= 0:
                continue
            taken = min(lot["remaining"], amount)
            lot["remaining"] = company._loyalty_round(kind, lot["remaining"] - taken)
            left.append((lot["id"], lot["remaining"]))
            expiries.append(lot["expiration"])
            amount = company._loyalty_round(kind, amount - taken)
        return amount, expiries, left

    @api.model
    def _loyalty_store_read_lots(self, state, keep_lots=False):
        """Store now what was taken from the lots ``state`` read, before the
        database's lots are read again; ``keep_lots`` when the caller only
        reads them (else they are forgotten: see _loyalty_pop_lot_updates)."""
        lots = state["lots"]
        self._loyalty_write_remaining(self._loyalty_pop_lot_updates([state]))
        if keep_lots:
            state["lots"] = lots

    @api.model
    def _loyalty_pop_lot_updates(self, states):
        """The remainders ``[(lot id, remaining)]`` of the lots consumed from
        ``states`` (see ``_loyalty_consume_read_lots``), to be stored now;
        the lots the states read are forgotten (the database knows better
        from now on)."""
        updates = {}
        for state in states:
            updates.update(state["lot_updates"])
            state["lot_updates"] = {}
            state["lots"] = {}
        return list(updates.items())

    @api.model
    def _loyalty_consume_first(self, lots, kind, company, amount):
        """Take up to ``amount`` from ``lots`` (in their order) before any
        other; return what is left to take and the expiries of the lots
        taken from."""
        # sudo: called under the balance lock by _loyalty_post only; the
        # lots' bookkeeping is the ledger's, whoever sells.
        self.flush_model(["remaining"])
        amount, expiries, left = self._loyalty_take_in_order(
            [
                {
                    "id": lot.id,
                    "remaining": lot.remaining,
                    "expiration": lot.expiration_date,
                }
                for lot in lots.sudo()
            ],
            kind,
            company,
            amount,
        )
        self._loyalty_write_remaining(left)
        return amount, expiries

    @api.model
    def _loyalty_take_lots(self, partner, kind, company, amount, spendable_on=None):
        """Take up to ``amount`` from the first open lots (first-expiring
        first, at most ``LOTS_PER_STATEMENT`` of them, along the open-lots
        index: a member with a million lots costs what one with three does),
        in one statement that reads and consumes them. With
        ``spendable_on``, lots still pending on that day are skipped.

        :return: ``[(quantity taken, expiry)]``, one per lot taken from; as
            many as there were lots unless ``amount`` was reached.
        """
        self.flush_model(["remaining", "available_date"])
        spendable = (
            SQL("AND (available_date IS NULL OR available_date <= %s)", spendable_on)
            if spendable_on
            else SQL()
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH lots AS (
                    SELECT id, remaining, expiration_date, date
                      FROM loyalty_transaction
                     WHERE partner_id = %(partner)s AND company_id = %(company)s
                       AND kind = %(kind)s AND remaining > 0 %(spendable)s
                  ORDER BY expiration_date ASC NULLS LAST, date ASC, id ASC
                     LIMIT %(limit)s
                ), taken AS (
                    SELECT id, expiration_date,
                           LEAST(remaining, GREATEST(%(amount)s::numeric
                                 - (SUM(remaining) OVER first_lots - remaining), 0))
                               AS quantity
                      FROM lots
                    WINDOW first_lots AS (
                        ORDER BY expiration_date ASC NULLS LAST, date ASC, id ASC
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                )
                UPDATE loyalty_transaction t SET %(set_remaining)s
                  FROM taken
                 WHERE t.id = taken.id AND taken.quantity > 0
             RETURNING t.id, taken.quantity, taken.expiration_date
                """,
                partner=partner.id,
                company=company.id,
                kind=kind,
                spendable=spendable,
                limit=LOTS_PER_STATEMENT,
                amount=amount,
                set_remaining=self._loyalty_set_remaining_sql(
                    SQL("t.remaining - taken.quantity")
                ),
            )
        )
        self._loyalty_lots_changed(row[0] for row in rows)
        return [(float(quantity), expiry) for _id, quantity, expiry in rows]

    @api.model
    def _loyalty_settle_debts(self, partner, kind, company, amount):
        """Pay the open debts (negative ``remaining`` of late orders), oldest
        first, with up to ``amount`` of new credit; return what was used."""
        # sudo: under the balance lock, from _loyalty_post only (see above).
        self.flush_model(["remaining"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM loyalty_transaction
                 WHERE partner_id = %s AND company_id = %s AND kind = %s
                   AND remaining < 0
              ORDER BY date, id
                """,
                partner.id,
                company.id,
                kind,
            )
        )
        used = 0.0
        for debt in self.sudo().browse(row[0] for row in rows):
            paid = min(-debt.remaining, amount - used)
            if float_compare(paid, 0.0, 6) <= 0:
                break
            with_ledger_token(debt).remaining = company._loyalty_round(
                kind, debt.remaining + paid
            )
            used = company._loyalty_round(kind, used + paid)
        return used

    @api.model
    def _loyalty_set_remaining_sql(self, remaining):
        """The SET clause of an UPDATE (alias ``t``) storing ``remaining``
        (an SQL expression) in lots, with their per-kind measures (see
        ``_loyalty_kind_measures``) and the bookkeeping columns."""
        return SQL(
            """remaining = %(value)s,
               wallet_remaining = CASE WHEN t.kind = 'wallet'
                                       THEN %(value)s ELSE 0 END,
               points_remaining = CASE WHEN t.kind = 'points'
                                       THEN %(value)s ELSE 0 END,
               write_uid = %(uid)s, write_date = %(now)s""",
            value=remaining,
            uid=self.env.uid,
            now=self.env.cr.now(),
        )

    @api.model
    def _loyalty_write_remaining(self, lots):
        """Store what remains of consumed lots (``[(id, remaining)]``) in one
        statement: the bookkeeping of the lots, under the balance lock."""
        if not lots:
            return
        self.env.execute_query(self._loyalty_remaining_update_sql(lots))
        self._loyalty_lots_changed(lot_id for lot_id, _left in lots)

    @api.model
    def _loyalty_lots_changed(self, lot_ids):
        """Tell the ORM about lots consumed in SQL (``LOT_UPDATED_FIELDS``
        were stored by the statement): their cached figures are forgotten,
        and when other addons compute fields from a lot's ``remaining`` (a
        ledger extended elsewhere) those are recomputed."""
        lots = self.browse(lot_ids)
        if not lots:
            return
        lots.invalidate_recordset(LOT_UPDATED_FIELDS)
        if self._loyalty_extended_elsewhere():
            written = [self._fields[fname] for fname in LOT_UPDATED_FIELDS]
            with self.env.protecting(written, lots):
                lots.modified(["remaining"])

    @api.model
    def _loyalty_remaining_update_sql(self, lots):
        """The UPDATE that stores what remains of lots (``[(id, remaining)]``,
        not empty)."""
        return SQL(
            """
            UPDATE loyalty_transaction t SET %s
              FROM (VALUES %s) AS v(id, remaining)
             WHERE t.id = v.id
            """,
            self._loyalty_set_remaining_sql(SQL("v.remaining")),
            SQL(", ").join(
                SQL("(%s, %s::numeric)", lot_id, left) for lot_id, left in lots
            ),
        )

    # ------------------------------------------------------------------
    # What returns left of a movement (see loyalty.return)
    # ------------------------------------------------------------------

    def _loyalty_reversals(self):
        """The reversals of this movement, expiries excluded: credit that
        expired was not given back nor taken back."""
        self.ensure_one()
        return self.sudo().derived_ids.filtered(lambda r: r.operation == "reverse")

    def _loyalty_is_restored(self):
        """Whether this take-back was undone (its credit note cancelled)."""
        return bool(self._loyalty_reversals())

    def _loyalty_is_voided(self):
        """For an earning: whether its own document undid it (an invoice
        reset to draft or cancelled takes back all it earned): a credit
        note's take-back of it is then not given back when the note is
        cancelled, the invoice's new earning carries the note's share."""
        self.ensure_one()
        return any(
            r.source_model == self.source_model
            and r.source_id == self.source_id
            and ":reverse:" in (r.idempotency_key or "")
            for r in self._loyalty_reversals()
        )

    def _loyalty_left_to_give_back(self):
        """For a spending: what returns may still give back of it."""
        self.ensure_one()
        given = sum(self._loyalty_reversals().mapped("amount"))
        return self.company_id._loyalty_round(self.kind, -self.amount - given)

    def _loyalty_left_to_take_back(self):
        """For an earning: what returns may still take back of it (what a
        take-back could not take because it was spent counts as taken: the
        shortfall; a restored take-back counts no more)."""
        self.ensure_one()
        taken = sum(
            -r.amount + r.shortfall
            for r in self._loyalty_reversals()
            if not r._loyalty_is_restored()
        )
        return self.company_id._loyalty_round(self.kind, self.amount - taken)

    # ------------------------------------------------------------------
    # Expiry and reminders (set-based: they run over millions of lots)
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_expire_due_lots(self, today=None, batch_size=20000, commit=False):
        """Expire what remains of every lot whose expiration date is before
        ``today``, ``batch_size`` partners at a time (all due lots of a partner
        in the same batch, so each balance is written once).

        A batch locks its partners (in id order, like the posting path), zeroes
        their due lots, inserts one ``expire`` row per lot and updates their
        balances in one transaction: after a crash, whole batches are done or
        untouched, and a lot with nothing remaining is never expired again, so
        the method can simply be run again.

        :return: the number of lots expired.
        """
        # Each company expires on its own calendar; the partners are picked
        # with the latest local day of all, the lots per company with its own.
        shop_today = today or max(
            company._loyalty_local_date()
            for company in self.env["res.company"].sudo().search([])
        )
        companies = self._loyalty_companies_with_due_lots(shop_today)
        total, after = 0, 0
        while companies:
            partner_ids = self._loyalty_partners_with_due_lots(
                shop_today, after, batch_size
            )
            if not partner_ids:
                break
            expired, lots = self._loyalty_retry_batch(
                lambda ids=partner_ids: self._loyalty_expire_batch(
                    today, ids, companies
                ),
                commit,
            )
            total += lots
            if expired:
                self.env["res.partner"]._loyalty_notify("expired", expired)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            after = partner_ids[-1]
        return total

    @api.model
    def _loyalty_partners_with_due_lots(self, today, after, limit):
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT partner_id FROM loyalty_transaction
                 WHERE remaining > 0 AND expiration_date < %s AND partner_id > %s
              ORDER BY partner_id
                 LIMIT %s
                """,
                today,
                after,
                limit,
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _loyalty_retry_batch(self, run_batch, commit, attempts=5):
        """Run one batch; when batches are committed one by one, a batch that
        collides with a till (serialization failure or deadlock on a
        partner: a till's refund may lock two customers in its own order) is
        rolled back and run again on fresh data."""
        for attempt in range(attempts):
            try:
                return run_batch()
            except psycopg2.errors.TransactionRollbackError:
                if not commit or attempt == attempts - 1:
                    raise
                self.env.cr.rollback()
                self.env.invalidate_all()
                _logger.info("loyalty expiry: batch retried after a concurrent update")

    @api.model
    def _loyalty_expire_batch(self, today, partner_ids, companies):
        # The balance rows of the batch, in the posting path's order: every
        # partner holding lots has its rows (posting a lot creates them).
        self.env["loyalty.balance"].flush_model()
        self.env["loyalty.balance"]._loyalty_select_for_update(
            tuple(partner_ids), tuple(companies.ids), tuple(BALANCE_FIELDS)
        )
        expired_ids, lots = [], 0
        for company in companies:
            company_today = today or company._loyalty_local_date()
            for row_id, lot_count in self.env.execute_query(
                self._loyalty_expire_lots_sql(company, partner_ids, company_today)
            ):
                expired_ids.append(row_id)
                lots += lot_count
        self.env["res.partner"].invalidate_model(ALL_PARTNER_LEDGER_FIELDS)
        self.env["loyalty.balance"].invalidate_model(["balance"])
        self.invalidate_model()
        return self.browse(expired_ids), lots

    @api.model
    def _loyalty_companies_with_due_lots(self, today):
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT company_id FROM loyalty_transaction "
                "WHERE remaining > 0 AND expiration_date < %s",
                today,
            )
        )
        return self.env["res.company"].browse(row[0] for row in rows)

    @api.model
    def _loyalty_expire_lots_sql(self, company, partner_ids, today):
        """One statement that expires the due lots of ``company`` owned by the
        (already locked) partners and moves their balances: the due lots are
        read under the lock, one ``expire`` row is inserted per partner and
        kind for all of them, each lot is zeroed and records what expired of
        it and by which row (``expired_amount``, ``expired_by_id``), and the
        partners' ``loyalty.balance`` rows are decreased by what expired.
        Returns the expire rows and how many lots each expired."""
        # The transaction's time, as every row the ledger inserts: an expiry
        # run inside a sale must not look newer than the sale's own spending
        # (a late order reads the balance left by the newest movement).
        now = self.env.cr.now()
        return SQL(
            """
            WITH due AS (
                SELECT id, partner_id, kind, remaining, expiration_date
                  FROM loyalty_transaction
                 WHERE partner_id IN %(partners)s AND company_id = %(company)s
                   AND remaining > 0 AND expiration_date < %(today)s
                   FOR UPDATE
            ), grouped AS (
                SELECT partner_id, kind, SUM(remaining) AS total, MIN(id) AS first_lot,
                       MAX(expiration_date) AS expiration_date, COUNT(*) AS lots
                  FROM due GROUP BY partner_id, kind
            ), expired AS (
                INSERT INTO loyalty_transaction (
                    partner_id, company_id, kind, operation, currency_id, amount,
                    remaining, shortfall, balance_after, date, expiration_date,
                    description, description_code, company_currency_id,
                    wallet_amount, points_amount, wallet_remaining,
                    points_remaining, idempotency_key, create_uid,
                    create_date, write_uid, write_date)
                SELECT g.partner_id, %(company)s, g.kind, 'expire',
                       CASE WHEN g.kind = 'wallet' THEN %(currency)s END,
                       -g.total, 0, 0, COALESCE(b.balance, 0) - g.total,
                       %(now)s, g.expiration_date, %(description)s, 'expired',
                       %(currency)s,
                       CASE WHEN g.kind = 'wallet' THEN -g.total ELSE 0 END,
                       CASE WHEN g.kind = 'points' THEN -g.total ELSE 0 END,
                       0, 0,
                       -- the first lot of the group: each lot expires once
                       'loyalty.transaction,' || g.first_lot || ':expire',
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM grouped g
             LEFT JOIN loyalty_balance b ON b.partner_id = g.partner_id
                   AND b.company_id = %(company)s AND b.kind = g.kind
              ORDER BY g.partner_id, g.kind
             RETURNING id, partner_id, kind, amount
            ), zeroed AS (
                UPDATE loyalty_transaction lot
                   SET remaining = 0, wallet_remaining = 0, points_remaining = 0,
                       expired_amount = due.remaining, expired_by_id = e.id,
                       write_uid = %(uid)s, write_date = %(now)s
                  FROM due JOIN expired e
                    ON e.partner_id = due.partner_id AND e.kind = due.kind
                 WHERE lot.id = due.id
            ), balances AS (
                INSERT INTO loyalty_balance AS b (partner_id, company_id, kind, balance)
                SELECT partner_id, %(company)s, kind, amount FROM expired
                    ON CONFLICT (partner_id, company_id, kind) DO UPDATE
                   SET balance = ROUND(b.balance + EXCLUDED.balance,
                       CASE WHEN b.kind = 'wallet' THEN %(wallet_digits)s
                            ELSE %(points_digits)s END)
            )
            SELECT e.id, g.lots FROM expired e
              JOIN grouped g ON g.partner_id = e.partner_id AND g.kind = e.kind
            """,
            partners=tuple(partner_ids),
            today=today,
            company=company.id,
            currency=company.currency_id.id,
            uid=self.env.uid,
            now=now,
            description=self.env._("Expired"),
            wallet_digits=company.currency_id.decimal_places,
            points_digits=self.env["decimal.precision"].precision_get("Loyalty Points"),
        )

    @api.model
    def _loyalty_send_expiry_reminders(
        self, today=None, batch_size=20000, commit=False
    ):
        """Emit one ``expiring`` event per lot that expires within its company's
        ``loyalty_expiry_reminder_days``, once per lot.

        :return: the number of lots reminded.
        """
        today = today or fields.Date.context_today(self)
        total = 0
        while True:
            self.env.flush_all()
            ids = self.env.execute_query(
                SQL(
                    """
                    UPDATE loyalty_transaction lot
                       SET expiry_reminder_sent = TRUE
                     WHERE lot.id IN (
                        SELECT l.id FROM loyalty_transaction l
                          JOIN res_company c ON c.id = l.company_id
                         WHERE l.remaining > 0 AND l.expiry_reminder_sent IS NOT TRUE
                           AND c.loyalty_expiry_reminder_days > 0
                           AND l.expiration_date >= %(today)s
                           AND l.expiration_date
                               <= %(today)s + c.loyalty_expiry_reminder_days
                      ORDER BY l.id
                         LIMIT %(limit)s
                           FOR UPDATE OF l SKIP LOCKED)
                 RETURNING lot.id
                    """,
                    today=today,
                    limit=batch_size,
                )
            )
            self.invalidate_model(["expiry_reminder_sent"])
            lots = self.browse(row[0] for row in ids)
            if lots:
                self.env["res.partner"]._loyalty_notify("expiring", lots)
            total += len(lots)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if len(lots) < batch_size:
                return total

    @api.model
    def _cron_loyalty_expire(self):
        """Daily: remind customers of what is about to expire, then expire
        what is due. Commits batch by batch (the cron may be interrupted)."""
        commit = not tools.config["test_enable"]
        self._loyalty_send_expiry_reminders(commit=commit)
        self._loyalty_expire_due_lots(commit=commit)

    # ------------------------------------------------------------------
    # Invariant
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_check_balances(self):
        """Partners whose stored balance differs from the sum of their ledger
        movements or from what remains in their lots and open debts, or who
        hold open lots and an open debt at once (new credit settles debts
        first). A negative balance is thus always a recorded debt: the
        uncovered part of late orders (negative ``remaining``).

        :return: a list of ``(partner_id, company_id, kind, ledger_sum,
            lots_remaining, stored_balance)``; empty when the ledger is sound.
        """
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                """
                WITH ledger AS (
                    SELECT partner_id, company_id, kind,
                           SUM(amount) AS total, SUM(remaining) AS open,
                           BOOL_OR(remaining > 0) AS has_lots,
                           BOOL_OR(remaining < 0) AS has_debt
                      FROM loyalty_transaction
                  GROUP BY partner_id, company_id, kind
                )
                SELECT partner_id, company_id, kind, COALESCE(l.total, 0),
                       COALESCE(l.open, 0), COALESCE(s.balance, 0)
                  FROM ledger l
             FULL JOIN loyalty_balance s USING (partner_id, company_id, kind)
                 WHERE ROUND(COALESCE(l.total, 0) - COALESCE(s.balance, 0), 6) <> 0
                    OR ROUND(COALESCE(l.open, 0) - COALESCE(s.balance, 0), 6) <> 0
                    OR (l.has_lots AND l.has_debt)
              ORDER BY partner_id, company_id, kind
                """
            )
        )
