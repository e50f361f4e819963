# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount, formatLang

from ..tools import (
    LEDGER_MERGE,
    LEDGER_OWNED_PARTNER_FIELDS,
    LEDGER_WRITE,
    ledger_token,
    with_ledger_token,
)
from .loyalty_transaction import BALANCE_FIELDS

LOYALTY_USER = "loyalty_wallet.group_loyalty_user"
LOYALTY_MANAGER = "loyalty_wallet.group_loyalty_manager"
BALANCE_KINDS = {fname: kind for kind, fname in BALANCE_FIELDS.items()}
# loyalty_<kind>_pending, _pending_date and _available of each kind.
PENDING_PREFIXES = {"wallet": "loyalty_wallet", "points": "loyalty_points"}
PENDING_FIELDS = tuple(
    f"{prefix}_{suffix}"
    for prefix in PENDING_PREFIXES.values()
    for suffix in ("pending", "pending_date")
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Membership is per company, like the balances: a customer of shop A joins
    # shop B's club when B enrols them (B's signup points, B's announcement).
    loyalty_member = fields.Boolean(
        string="Club Member",
        company_dependent=True,
        copy=False,
        help="Member of the current company's club: only members earn and "
        "spend wallet credit and points.",
    )
    loyalty_enrolled_on = fields.Date(
        string="Member Since", company_dependent=True, copy=False
    )
    loyalty_birthday = fields.Date(string="Birthday", copy=False)
    loyalty_anniversary = fields.Date(string="Wedding Anniversary", copy=False)
    # Balances are per company (a shared customer may shop in several) and
    # live in loyalty.balance, one narrow row per partner, company and kind,
    # which only ledger movements lock: these are read-only mirrors for the
    # current company (searchable, sortable and summable through SQL).
    loyalty_wallet_balance = fields.Float(
        string="Wallet Balance",
        compute="_compute_loyalty_balances",
        search="_search_loyalty_wallet_balance",
        aggregator="sum",
        help="Wallet credit of the customer in the current company: always the "
        "sum of the wallet movements of the ledger (negative: a debt left by a "
        "late order).",
    )
    loyalty_points = fields.Float(
        string="Points",
        compute="_compute_loyalty_balances",
        search="_search_loyalty_points",
        aggregator="sum",
        digits="Loyalty Points",
        help="Points of the customer in the current company: always the sum of "
        "the points movements of the ledger.",
    )
    # Pending credit (the return window): part of the balance above, not
    # spendable before its date. Computed when read, from the few lots of the
    # window: nothing runs over the members when a window ends.
    loyalty_wallet_pending = fields.Float(
        string="Pending Wallet Credit",
        compute="_compute_loyalty_pending",
        help="Cashback of recent sales in the current company, included in the "
        "wallet balance but not spendable before the company's return window "
        "ends; a return inside the window cancels it.",
    )
    loyalty_points_pending = fields.Float(
        string="Pending Points",
        compute="_compute_loyalty_pending",
        digits="Loyalty Points",
        help="Points of recent sales in the current company, included in the "
        "points but not spendable before the company's return window ends.",
    )
    loyalty_wallet_pending_date = fields.Date(
        string="Pending Credit Available On",
        compute="_compute_loyalty_pending",
        help="The day the next part of the pending wallet credit becomes spendable.",
    )
    loyalty_points_pending_date = fields.Date(
        string="Pending Points Available On",
        compute="_compute_loyalty_pending",
        help="The day the next part of the pending points becomes spendable.",
    )
    loyalty_wallet_available = fields.Float(
        string="Available Wallet Credit",
        compute="_compute_loyalty_pending",
        help="What the customer may spend from the wallet now: the balance "
        "less the pending credit.",
    )
    loyalty_points_available = fields.Float(
        string="Available Points",
        compute="_compute_loyalty_pending",
        digits="Loyalty Points",
        help="Points the customer may spend now: the points less the pending ones.",
    )
    loyalty_currency_id = fields.Many2one(
        "res.currency", compute="_compute_loyalty_currency_id"
    )
    loyalty_transaction_ids = fields.One2many(
        "loyalty.transaction", "partner_id", string="Loyalty Movements", readonly=True
    )
    loyalty_transaction_count = fields.Integer(
        compute="_compute_loyalty_transaction_count"
    )
    loyalty_wallet_expiring_soon = fields.Float(
        string="Wallet Expiring Soon",
        compute="_compute_loyalty_expiring_soon",
        help="Wallet credit that expires within the company's reminder days.",
    )
    loyalty_points_expiring_soon = fields.Float(
        string="Points Expiring Soon",
        compute="_compute_loyalty_expiring_soon",
        digits="Loyalty Points",
        help="Points that expire within the company's reminder days.",
    )

    @api.depends_context("company")
    def _compute_loyalty_balances(self):
        ids = [pid for pid in self.ids if pid]
        Balance = self.env["loyalty.balance"]
        if ids:
            Balance.flush_model()
        for kind, fname in BALANCE_FIELDS.items():
            values = (
                Balance._loyalty_read(ids, self.env.company.id, kind) if ids else {}
            )
            for partner in self:
                partner[fname] = values.get(partner.id, 0.0)

    @api.depends_context("company")
    def _compute_loyalty_pending(self):
        company = self.env.company
        ids = [pid for pid in self.ids if pid]
        pending = self.env["loyalty.transaction"]._loyalty_pending_sums(ids, company)
        for partner in self:
            for kind, fname in BALANCE_FIELDS.items():
                amount, available_on = pending.get((partner.id, kind), (0.0, False))
                prefix = PENDING_PREFIXES[kind]
                partner[f"{prefix}_pending"] = amount
                partner[f"{prefix}_pending_date"] = available_on
                partner[f"{prefix}_available"] = partner[fname] - amount

    def _search_loyalty_wallet_balance(self, operator, value):
        return self._loyalty_search_balance("wallet", operator, value)

    def _search_loyalty_points(self, operator, value):
        return self._loyalty_search_balance("points", operator, value)

    def _loyalty_search_balance(self, kind, operator, value):
        comparisons = {"=", "!=", "<", ">", "<=", ">="}
        if operator in ("in", "not in"):
            values = tuple(float(v or 0.0) for v in value) or (None,)
            sql_operator = SQL("IN") if operator == "in" else SQL("NOT IN")
        elif operator in comparisons:
            values = float(value or 0.0)
            sql_operator = SQL(operator)
        else:
            return NotImplemented
        fname = BALANCE_FIELDS[kind]

        def to_sql(model, alias, query):
            return SQL(
                "(%s %s %s)",
                model._field_to_sql(alias, fname, query),
                sql_operator,
                values,
            )

        return Domain.custom(to_sql=to_sql)

    def _field_to_sql(self, alias, field_expr, query=None):
        kind = BALANCE_KINDS.get(field_expr)
        if kind:
            return self.env["loyalty.balance"]._loyalty_balance_sql(
                SQL.identifier(alias, "id"), self.env.company.id, kind
            )
        return super()._field_to_sql(alias, field_expr, query)

    def _compute_loyalty_currency_id(self):
        self.loyalty_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_loyalty_expiring_soon(self):
        # sudo: a figure of the member, like the balances: the cashier at the
        # till reads it, not the rows behind it (she reads only those she
        # recorded).
        groups = (
            self.env["loyalty.transaction"]
            .sudo()
            ._read_group(
                [
                    # _origin: a contact being created has no lots yet.
                    ("partner_id", "in", self.commercial_partner_id._origin.ids),
                    ("company_id", "=", self.env.company.id),
                    ("expiring_soon", "=", True),
                ],
                ["partner_id"],
                ["wallet_remaining:sum", "points_remaining:sum"],
            )
        )
        soon = {partner.id: (wallet, points) for partner, wallet, points in groups}
        for partner in self:
            wallet, points = soon.get(
                partner.commercial_partner_id._origin.id, (0.0, 0.0)
            )
            partner.loyalty_wallet_expiring_soon = wallet
            partner.loyalty_points_expiring_soon = points

    def _compute_loyalty_transaction_count(self):
        counts = dict(
            self.env["loyalty.transaction"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.loyalty_transaction_count = counts.get(partner, 0)

    # ------------------------------------------------------------------
    # CRUD: membership and balances belong to the ledger
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        enroll = []
        context = self.env.context
        for vals in vals_list:
            # A contact created from the club's Members list comes as a member:
            # it is enrolled by the ledger (Loyalty Users only), not flagged.
            from_members_list = context.get("default_loyalty_member") and (
                vals.get("loyalty_member", True)
            )
            if from_members_list:
                vals.pop("loyalty_member", None)
                vals.pop("loyalty_enrolled_on", None)
            enroll.append(bool(from_members_list))
            self._loyalty_check_ledger_owned_write(vals)
        # Defaults from the context would reach the columns without passing
        # the guard (``default_loyalty_wallet_balance`` over RPC).
        defaults = {f"default_{fname}" for fname in LEDGER_OWNED_PARTNER_FIELDS}
        if defaults.intersection(context):
            self = self.with_env(
                self.env(
                    context={
                        key: value
                        for key, value in context.items()
                        if key not in defaults
                    }
                )
            )
        partners = super().create(vals_list)
        for partner, to_enroll in zip(partners, enroll, strict=True):
            if to_enroll:
                partner.action_loyalty_enroll()
        return partners

    def write(self, vals):
        self._loyalty_check_ledger_owned_write(vals)
        return super().write(vals)

    def _loyalty_check_ledger_owned_write(self, vals):
        """Refuse a write of membership or balances that does not come from
        the ledger, whoever writes (``sudo()`` included): a contact editor
        over RPC, an import, another addon. Odoo's contact merge copies every
        field: its copy of these is dropped, the merge rebuilds them."""
        token = ledger_token(self.env)
        if token is LEDGER_MERGE:
            # The merge already carried every company's values of these
            # company-dependent columns over in SQL; writing them again would
            # trip the card number's uniqueness while the duplicate exists.
            for fname in LEDGER_OWNED_PARTNER_FIELDS | {"barcode"}:
                vals.pop(fname, None)
            return
        owned = LEDGER_OWNED_PARTNER_FIELDS.intersection(vals)
        if not owned or token is LEDGER_WRITE:
            return
        raise UserError(
            self.env._(
                "Club membership, wallet credit and points change only through "
                "the loyalty ledger (enrolment, sales, adjustments by a Loyalty "
                "Manager), never by editing the contact (%s).",
                ", ".join(sorted(owned)),
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_loyalty_ledger(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loyalty_wallet.action_loyalty_transaction"
        )
        kind = self.env.context.get("loyalty_kind")
        expiring = bool(self.env.context.get("loyalty_expiring_soon"))
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "search_default_group_by_kind": not kind,
            f"search_default_kind_{kind}": bool(kind),
            "search_default_expiring": expiring,
        }
        return action

    def action_loyalty_enroll(self):
        """Enrol the customers by hand: Loyalty Users only (a portal user or a
        plain employee calling it over RPC would collect the signup points)."""
        if not (self.env.is_superuser() or self.env.user.has_group(LOYALTY_USER)):
            raise AccessError(
                self.env._("Only Loyalty Users can enrol customers in the club.")
            )
        for partner in self:
            partner._loyalty_enroll()
        return True

    # ------------------------------------------------------------------
    # Public API (RPC-callable: rights are checked here)
    # ------------------------------------------------------------------

    def loyalty_adjust(self, kind, amount, description, expiration_date=False):
        """Manual movement by a Loyalty Manager: ``amount`` is signed (a
        positive amount creates a lot, a negative one takes FIFO), and the
        reason is mandatory."""
        self.ensure_one()
        if not (self.env.is_superuser() or self.env.user.has_group(LOYALTY_MANAGER)):
            raise AccessError(
                self.env._("Only Loyalty Managers can adjust wallets and points.")
            )
        if kind not in BALANCE_FIELDS:
            raise UserError(self.env._("Unknown balance kind: %s", kind))
        if not (description or "").strip():
            raise UserError(self.env._("Please give a reason for the adjustment."))
        if not amount:
            raise UserError(self.env._("An adjustment cannot be zero."))
        expiration_date = fields.Date.to_date(expiration_date) or False
        if expiration_date and expiration_date < self.env.company._loyalty_local_date():
            raise UserError(self.env._("The expiration date cannot be in the past."))
        partner = self.commercial_partner_id
        partner._loyalty_check_can_move(self.env.company)
        return self.env["loyalty.transaction"]._loyalty_post(
            partner,
            kind,
            "adjust",
            amount,
            description=description.strip(),
            expiration_date=expiration_date,
        )

    # ------------------------------------------------------------------
    # Ledger API (private): the one way other code moves credit or points
    # ------------------------------------------------------------------

    def _loyalty_earn(self, kind, amount, *, source=None, purpose="earn", **kwargs):
        """Credit ``amount`` (> 0) to the member; the lot expires after the
        company's validity counted from ``date`` (the document's date)."""
        self.ensure_one()
        return_status = kwargs.pop("return_status", False)
        [(row, new)] = self._loyalty_earn_many(
            [dict(kwargs, kind=kind, amount=amount, source=source, purpose=purpose)]
        )
        return (row, new) if return_status else row

    def _loyalty_earn_many(self, earnings):
        """Credit several amounts at once (one lock and one INSERT):
        ``earnings`` are dicts of ``_loyalty_earn``'s arguments (``kind``,
        ``amount``, ``source``, ``purpose`` default "earn", ...).

        :return: a list of ``(row, new)``, in the order of ``earnings``."""
        return self.env["loyalty.transaction"]._loyalty_post_many(
            self._loyalty_earnings(earnings)
        )

    def _loyalty_earnings(self, earnings):
        """The movements of ``earnings`` (see ``_loyalty_earn_many``), checked
        but not posted."""
        self.ensure_one()
        movements = []
        for earning in earnings:
            earning = dict(earning)
            kind, amount = earning.pop("kind"), earning.pop("amount")
            company = earning.pop("company", None) or self.env.company
            if amount < 0:
                raise UserError(self.env._("Earned amounts cannot be negative."))
            self._loyalty_check_can_move(company)
            date = earning.pop("date", None) or fields.Datetime.now()
            earning.setdefault(
                "expiration_date", company._loyalty_expiration_date(kind, date)
            )
            earning.setdefault("purpose", "earn")
            movements.append(
                dict(
                    earning,
                    partner=self,
                    kind=kind,
                    operation=earning.pop("operation", "earn"),
                    amount=amount,
                    company=company,
                    date=date,
                )
            )
        return movements

    def _loyalty_spend(
        self, kind, amount, *, source=None, purpose="spend", notify=True, **kwargs
    ):
        """Take ``amount`` (> 0) from the member, first-expiring lots first;
        raises a ``UserError`` when the balance is short. Announces "spent"
        for a new movement only (a replay of the same document and purpose
        returns the posted row silently), and not with ``notify=False`` (the
        caller announces the whole sale once)."""
        return_status = kwargs.pop("return_status", False)
        movement = self._loyalty_spending(
            kind, amount, source=source, purpose=purpose, **kwargs
        )
        row, new = self.env["loyalty.transaction"]._loyalty_post(
            **movement, return_status=True
        )
        if new and notify and movement["operation"] == "spend":
            self._loyalty_notify("spent", row)
        return (row, new) if return_status else row

    def _loyalty_spending(
        self, kind, amount, *, source=None, purpose="spend", **kwargs
    ):
        """The movement that spends ``amount`` (> 0) of the member's ``kind``,
        checked but not posted: ``_loyalty_spend`` posts it, a sale posts it
        with what it earns (``_loyalty_reward_purchase``'s ``paying``)."""
        self.ensure_one()
        company = kwargs.pop("company", None) or self.env.company
        if amount <= 0:
            raise UserError(self.env._("The amount to spend must be positive."))
        self._loyalty_check_can_move(company)
        return dict(
            kwargs,
            partner=self,
            kind=kind,
            operation=kwargs.get("operation", "spend"),
            amount=-amount,
            company=company,
            source=source,
            purpose=purpose,
        )

    @api.model
    def _loyalty_reverse(self, source, refund, ratio=1.0):
        """Take back ``ratio`` of what ``source`` earned because of ``refund``
        (for integrators: a return of goods without wallet or points given
        back); see ``loyalty.return._loyalty_return``, the one routine that
        decides what a return does."""
        return self.env["loyalty.return"]._loyalty_return(
            source, refund, goods_share=ratio
        )

    def _loyalty_enroll(self, company=None, date=None):
        """Make the partner a club member (once) and give the signup points."""
        self.ensure_one()
        company = company or self.env.company
        partner = self.commercial_partner_id.with_company(company)
        newly_enrolled = not partner.loyalty_member
        if newly_enrolled:
            # sudo: enrolment happens while a cashier or an accountant sells,
            # who may not edit contacts; the token passes the ledger's guard.
            with_ledger_token(partner.sudo()).write(
                {
                    "loyalty_member": True,
                    "loyalty_enrolled_on": company._loyalty_local_date(date),
                }
            )
        partner_c = partner.with_company(company)
        if not partner_c.barcode:
            # The "042" prefix is what Odoo's default barcode nomenclature reads
            # as a customer card, so the POS scanner selects the member. sudo:
            # the seller enrolling a customer may neither edit contacts nor
            # read sequences.
            partner_c.sudo().barcode = (
                self.env["ir.sequence"].sudo().next_by_code("loyalty.card.number")
            )
        rows = self.env["loyalty.transaction"]
        signup = company.loyalty_points_active and company.loyalty_points_signup
        if signup and newly_enrolled:
            rows = partner._loyalty_earn(
                "points",
                signup,
                company=company,
                source=partner,
                purpose=f"signup:{company.id}",
                description_code="welcome",
            )
        if newly_enrolled:
            partner._loyalty_notify("enrolled", rows, partner=partner)
        return True

    def _loyalty_reward_purchase(
        self, source, base_amount, date, company, generation=0, spent=None, paying=()
    ):
        """Give the cashback and points that a paid purchase of ``base_amount``
        earns (enrolling the customer when the company does so automatically).

        Idempotent per ``source`` and ``generation``: a second call for the same
        document earns nothing more, and announces nothing. A document whose
        earning was cancelled (fully reversed) earns again under the next
        generation.

        ``paying`` are the movements (``_loyalty_spending``) of what the same
        sale pays with wallet credit and points: posted before what it earns,
        in the same statement (one lock, one INSERT); the caller finds their
        rows with ``_loyalty_document_row``. ``spent`` are rows the sale
        already posted for it.

        One announcement per sale: what it paid (``spent`` and the new rows of
        ``paying``) is announced with what it earned, as one "earned" event
        (the purchase message: paid, earned, new balance), or alone as "spent"
        when the sale earns nothing.
        """
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        Ledger = self.env["loyalty.transaction"]
        paying = list(paying)
        earnings = partner._loyalty_purchase_earnings(
            source, base_amount, date, company, generation
        )
        results = Ledger._loyalty_post_many(paying + earnings)
        spent = (spent or Ledger).concat(
            *(row for row, new in results[: len(paying)] if new)
        )
        earned = results[len(paying) :]
        rows = Ledger.concat(*(row for row, _new in earned))
        new_rows = Ledger.concat(*(row for row, new in earned if new))
        # A document posted again after a correction (an invoice reset to
        # draft, generation > 0) earns silently: the customer was told once.
        if new_rows and not generation:
            partner._loyalty_notify("earned", new_rows | spent)
        elif spent:
            partner._loyalty_notify("spent", spent)
        return rows

    def _loyalty_purchase_earnings(
        self, source, base_amount, date, company, generation
    ):
        """The movements (not posted) of the cashback and points a purchase
        earns; none when the company's club is off or the customer is not a
        member and the company does not enrol automatically."""
        partner = self.commercial_partner_id.with_company(company)
        if not company._loyalty_is_enabled() or (
            not partner.loyalty_member and not company.loyalty_auto_enroll
        ):
            return []
        if not partner.loyalty_member:
            partner._loyalty_enroll(company, date)
        partner._loyalty_before_purchase_reward(source, base_amount, date, company)
        cashback, offer = company._loyalty_best_cashback(partner, base_amount, date)
        points = company._loyalty_purchase_points(partner, base_amount, date)
        suffix = f":{generation}" if generation else ""
        earnings = []
        if cashback:
            earnings.append(
                {
                    "kind": "wallet",
                    "amount": cashback,
                    "purpose": f"earn:wallet{suffix}",
                    "description_code": "cashback",
                    "description_params": {
                        "doc": source.display_name,
                        "offer": offer["label"],
                        # what the offer was, to name it in the reader's
                        # language (the label is the poster's)
                        "offer_ref": offer.get("ref") or False,
                    },
                }
            )
        if points:
            earnings.append(
                {
                    "kind": "points",
                    "amount": points,
                    "purpose": f"earn:points{suffix}",
                    "description_code": "points",
                    "description_params": [source.display_name],
                }
            )
        # What a sale earns waits out the return window (none by default).
        available_date = company._loyalty_available_date(date)
        return partner._loyalty_earnings(
            [
                dict(
                    earning,
                    company=company,
                    source=source,
                    date=date,
                    available_date=available_date,
                )
                for earning in earnings
            ]
        )

    def _loyalty_before_purchase_reward(self, source, base_amount, date, company):
        """Hook called before a purchase's reward is computed: an addon that
        changes what the customer is offered (e.g. a tier upgrade earned by this
        very order) does it here, in the same transaction."""
        return None

    def _loyalty_notify(self, event, transactions, **values):
        """The single hook through which the ledger announces what happened.

        :param event: ``earned``, ``spent`` (purchases paid with wallet or
            points), ``expiring``, ``expired``, ``enrolled``, ``reversed``
            (addons add their own).
        :param transactions: the ledger rows concerned, possibly of many
            partners (the expiry cron sends whole batches).
        Addons (SMS, coupons) extend this method; the ledger itself only mails
        expiry reminders.
        """
        if event == "expiring":
            self._loyalty_mail_expiry_reminders(transactions)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _loyalty_check_can_move(self, company):
        """Members only. Switching cashback and points off stops earning
        (``_loyalty_reward_purchase``), never the use of what members hold:
        they keep paying with it and managers keep adjusting it."""
        self.ensure_one()
        if not self.commercial_partner_id.with_company(company).loyalty_member:
            raise UserError(
                self.env._(
                    "%s is not a member of the customer club.",
                    self.commercial_partner_id.display_name,
                )
            )

    def _loyalty_merge_membership(self):
        """What the contacts about to be merged hold as members, per company:
        ``{company: earliest enrolment date}``."""
        membership = {}
        # sudo: the merge keeps the membership of every company, including
        # those the merging user does not work in.
        # Archived companies too: their members' credit is kept as well.
        every_company = [("active", "in", (True, False))]
        for company in self.env["res.company"].sudo().search(every_company):
            members = self.sudo().with_company(company).filtered("loyalty_member")
            if members:
                dates = [d for d in members.mapped("loyalty_enrolled_on") if d]
                membership[company] = min(dates, default=False)
        return membership

    def _loyalty_rebuild_after_merge(self, membership):
        """After a contact merge moved every ledger row to this survivor: it is
        a member of each company's club one of the merged contacts was a member
        of (since the earliest enrolment), and each of its balances is the sum
        of its rows, in every company."""
        self.ensure_one()
        for company, enrolled_on in membership.items():
            # sudo: whoever may merge contacts merges their membership too.
            with_ledger_token(self.sudo().with_company(company)).write(
                {"loyalty_member": True, "loyalty_enrolled_on": enrolled_on}
            )
        self.env["loyalty.transaction"].flush_model()
        totals = self.env.execute_query(
            SQL(
                "SELECT company_id, kind, SUM(amount) FROM loyalty_transaction "
                "WHERE partner_id = %s GROUP BY company_id, kind",
                self.id,
            )
        )
        for company_id, kind, total in totals:
            company = self.env["res.company"].browse(company_id)
            # The merge moved (or, on a clash with the survivor's, deleted)
            # the merged contacts' balance rows: make sure the row exists.
            self._loyalty_lock(company)
            self._loyalty_set_balance(kind, company, float(total))

    def _loyalty_lock(self, company=None, kinds=None):
        """Lock the partners' balance rows of ``company`` (default: the current
        one) until the end of the transaction, creating them when missing, in
        (partner, company, kind) order so two transactions never deadlock.

        Only ``loyalty.balance`` rows are locked, never ``res_partner``: an
        edit of the contact never waits for a sale nor makes it retry. Both
        kinds are locked together (an order may spend one and earn the other,
        in any order). Under Odoo's REPEATABLE READ isolation, a transaction
        whose balance was changed meanwhile fails with a serialization error,
        which Odoo retries with fresh data.

        :return: ``{(partner_id, company_id, kind): balance}`` read under the lock.
        """
        if not self:
            return {}
        company = company or self.env.company
        return self.env["loyalty.balance"]._loyalty_lock_rows(
            sorted(set(self.ids)), [company.id], sorted(kinds or BALANCE_FIELDS)
        )

    def _loyalty_balance(self, kind, company):
        """The stored balance, read from the row (not from the cache, which may
        predate the caller's lock)."""
        self.ensure_one()
        Balance = self.env["loyalty.balance"]
        Balance.flush_model()
        return Balance._loyalty_read([self.id], company.id, kind)[self.id]

    def _loyalty_set_balance(self, kind, company, value):
        """Write the balance of ``company`` in its (locked) row: one small
        UPDATE, right after posting the movement that explains it."""
        self.ensure_one()
        self.env["loyalty.balance"]._loyalty_write(
            self.id, company.id, kind, company._loyalty_round(kind, value)
        )
        self.invalidate_recordset([BALANCE_FIELDS[kind]])

    def _loyalty_short_message(
        self, kind, wanted, balance, company, pending=0.0, pending_date=False
    ):
        """Why ``wanted`` cannot be spent from ``balance`` (what is available),
        naming the pending credit and its date when there is some."""
        if kind == "wallet":
            message = self.env._(
                "%(partner)s has only %(balance)s in the wallet; %(wanted)s "
                "cannot be spent.",
                partner=self.display_name,
                balance=format_amount(self.env, balance, company.currency_id),
                wanted=format_amount(self.env, wanted, company.currency_id),
            )
        else:
            message = self.env._(
                "%(partner)s has only %(balance)s points; %(wanted)s cannot be spent.",
                partner=self.display_name,
                balance=formatLang(self.env, balance, digits=2),
                wanted=formatLang(self.env, wanted, digits=2),
            )
        if pending > 0:
            amount = (
                format_amount(self.env, pending, company.currency_id)
                if kind == "wallet"
                else formatLang(self.env, pending, digits=2)
            )
            message += " " + self.env._(
                "%(pending)s more is pending until %(date)s (the return window).",
                pending=amount,
                date=self.env["loyalty.transaction"]._loyalty_format_date(pending_date),
            )
        return message

    def _loyalty_expiring_lots(self):
        """Open lots of this partner that were reminded and are not expired."""
        self.ensure_one()
        return self.env["loyalty.transaction"].search(
            [
                ("partner_id", "=", self.id),
                ("company_id", "=", self.env.company.id),
                ("remaining", ">", 0),
                ("expiry_reminder_sent", "=", True),
                ("expiration_date", ">=", fields.Date.context_today(self)),
            ],
            order="expiration_date, id",
        )

    def _loyalty_mail_expiry_reminders(self, lots):
        template = self.env.ref(
            "loyalty_wallet.mail_template_loyalty_expiring", raise_if_not_found=False
        )
        if not template:
            return
        for (partner, company), _lots in lots.grouped(
            lambda lot: (lot.partner_id, lot.company_id)
        ).items():
            if partner.email:
                template.with_company(company).send_mail(
                    partner.id, email_layout_xmlid="mail.mail_notification_light"
                )

    # ------------------------------------------------------------------
    # Point of Sale
    # ------------------------------------------------------------------

    @api.model
    def _load_pos_data_fields(self, config):
        return [
            *super()._load_pos_data_fields(config),
            "loyalty_member",
            "loyalty_wallet_balance",
            "loyalty_points",
            *PENDING_FIELDS,
        ]

    @api.model
    def _load_pos_data_read(self, records, config):
        """A contact of a member company ("John, ACME") carries ACME's club
        figures at the till: the ledger lives on the commercial partner, and
        that is what the server spends from."""
        result = super()._load_pos_data_read(records, config)
        fnames = ("loyalty_member", *BALANCE_FIELDS.values(), *PENDING_FIELDS)
        by_id = {partner.id: partner for partner in records}
        for values in result:
            partner = by_id.get(values["id"])
            commercial = partner and partner.commercial_partner_id
            if commercial and commercial != partner:
                commercial = commercial.with_company(config.company_id)
                values.update({fname: commercial[fname] for fname in fnames})
        return result

    def loyalty_pos_balances(self, config_id):
        """Fresh balances of the customer in the company of the POS
        ``config_id``, read from the database: the till checks them right
        before validating a payment with wallet credit or points.

        ``wallet`` and ``points`` are what may be spent now (neither past its
        date nor pending); ``<kind>_pending`` is what waits out the return
        window and ``<kind>_pending_date`` the day its next part becomes
        spendable (False when nothing is pending)."""
        self.ensure_one()
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        self.check_access("read")
        partner = self.commercial_partner_id
        company = config.company_id
        due = partner._loyalty_due_remaining(company)
        pending = self.env["loyalty.transaction"]._loyalty_pending_sums(
            [partner.id], company
        )
        result = {"member": partner.with_company(company).loyalty_member}
        for kind in BALANCE_FIELDS:
            amount, available_on = pending.get((partner.id, kind), (0.0, False))
            balance = partner._loyalty_balance(kind, company)
            result[kind] = company._loyalty_round(kind, balance - due[kind] - amount)
            result[f"{kind}_pending"] = amount
            result[f"{kind}_pending_date"] = fields.Date.to_string(available_on)
        return result

    def _loyalty_due_remaining(self, company):
        """What remains in lots past their date that the nightly expiry has
        not recorded yet: not spendable any more."""
        self.ensure_one()
        self.env["loyalty.transaction"].flush_model()
        rows = self.env.execute_query(
            SQL(
                "SELECT kind, SUM(remaining) FROM loyalty_transaction "
                "WHERE partner_id = %s AND company_id = %s AND remaining > 0 "
                "AND expiration_date < %s GROUP BY kind",
                self.id,
                company.id,
                company._loyalty_local_date(),
            )
        )
        due = {"wallet": 0.0, "points": 0.0}
        due.update({kind: float(total) for kind, total in rows})
        return due
