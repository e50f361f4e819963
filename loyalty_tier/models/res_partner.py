# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# Documents whose returns review the tier themselves (pos.order, account.move).
DOCUMENT_MODELS = ("pos.order", "account.move")
# Fields written set-based by _loyalty_tier_change (cache invalidated after).
TIER_STATE_FIELDS = [
    "loyalty_tier_id",
    "loyalty_tier_renewed_on",
    "loyalty_tier_saved_pricelist_id",
    "specific_property_product_pricelist",
    "property_product_pricelist",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Tiers belong to a company and the ledger's balances are per company, so a
    # customer shared by two shops holds one tier in each: company-dependent.
    loyalty_tier_id = fields.Many2one(
        "loyalty.tier",
        string="Tier",
        company_dependent=True,
        readonly=True,
        ondelete="restrict",
        domain=lambda self: [("company_id", "=", self.env.company.id)],
        help="The customer's club tier in the current company. It rises with "
        "the purchase that qualifies, falls when the retention rule is missed, "
        "and managers may set it by hand.",
    )
    loyalty_tier_renewed_on = fields.Date(
        string="Tier Renewed On",
        company_dependent=True,
        readonly=True,
        help="Day of the last order that kept (or earned) the tier: the "
        "retention period counts from it.",
    )
    loyalty_tier_locked_until = fields.Date(
        string="Tier Locked Until",
        company_dependent=True,
        readonly=True,
        help="The tier is not downgraded before this day (set by a manager).",
    )
    loyalty_tier_saved_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist Before the Tier",
        company_dependent=True,
        readonly=True,
        ondelete="set null",
        help="The customer's own pricelist, given back when they lose the tier "
        "whose pricelist replaced it.",
    )
    loyalty_tier_history_ids = fields.One2many(
        "loyalty.tier.history", "partner_id", string="Tier History", readonly=True
    )
    loyalty_tier_risk_warned_for = fields.Date(
        string="Tier Risk Warned For",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Retention period (the day it started) the member was last "
        "warned about: one warning per period.",
    )
    loyalty_tier_progress = fields.Char(
        string="Tier Progress",
        compute="_compute_loyalty_tier_progress",
        help="What the member needs to reach the next tier and to keep the "
        "current one, in the reader's language.",
    )
    loyalty_tier_progress_percent = fields.Float(
        string="Progress to the Next Tier (%)",
        compute="_compute_loyalty_tier_progress",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends_context("company", "lang")
    @api.depends("loyalty_member", "loyalty_tier_id", "loyalty_tier_renewed_on")
    def _compute_loyalty_tier_progress(self):
        """Set-based: one statement for every partner being read (the POS
        loads hundreds at once)."""
        company = self.env.company
        today = fields.Date.context_today(self)
        # sudo: a member reads their own standing on the portal, the cashier
        # at the till; tiers and sales figures are not theirs to read.
        Tier = self.env["loyalty.tier"].sudo()
        tiers = (
            Tier.search([("company_id", "=", company.id)], order="sequence, id")
            # a receipt of a shop without tiers asks on every sale
            if Tier._loyalty_company_has_tiers(company.id)
            else Tier
        )
        members = self.filtered(lambda p: p.commercial_partner_id.loyalty_member)
        commercial = members.commercial_partner_id.sudo().with_company(company)
        stats = {}
        if tiers:
            for (partner_id, tier_id), figures in Tier._loyalty_stats(
                company, commercial.ids, today
            ).items():
                stats.setdefault(partner_id, {})[tier_id] = figures
        for partner in self:
            text, percent = "", 0.0
            if tiers and partner in members:
                holder = partner.commercial_partner_id.sudo().with_company(company)
                text, percent = tiers._loyalty_progress(
                    holder.loyalty_tier_id,
                    holder.loyalty_tier_renewed_on,
                    stats.get(holder.id, {}),
                    today,
                )
            partner.loyalty_tier_progress = text or False
            partner.loyalty_tier_progress_percent = min(percent, 100.0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_loyalty_tier_assign(self):
        self.ensure_one()
        self._loyalty_tier_check_manager()
        partner = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Tier"),
            "res_model": "loyalty.tier.assign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_tier_id": partner.loyalty_tier_id.id,
                "default_locked_until": partner.loyalty_tier_locked_until,
            },
        }

    # ------------------------------------------------------------------
    # Public API (RPC-callable: rights are checked here)
    # ------------------------------------------------------------------

    def loyalty_tier_assign(self, tier, reason, locked_until=False):
        """Set the tier of the customer by hand (Loyalty Managers): ``tier``
        is a ``loyalty.tier`` record or id (empty: no tier), ``reason`` is
        mandatory, ``locked_until`` keeps the review from downgrading the
        customer before that day."""
        self.ensure_one()
        self._loyalty_tier_check_manager()
        tier = self.env["loyalty.tier"].browse(getattr(tier, "id", tier) or [])
        company = self.env.company
        if tier and tier.company_id != company:
            raise UserError(
                self.env._(
                    "The tier %(tier)s belongs to %(other)s, not to %(company)s.",
                    tier=tier.name,
                    other=tier.company_id.name,
                    company=company.name,
                )
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Please give a reason for the tier change."))
        partner = self.commercial_partner_id.with_company(company)
        today = fields.Date.context_today(self)
        # sudo: managers of the club may not be allowed to edit contacts.
        partner.sudo().loyalty_tier_locked_until = locked_until or False
        partner._loyalty_tier_change(
            company,
            [
                {
                    "partner_id": partner.id,
                    "old_tier_id": partner.loyalty_tier_id.id,
                    "new_tier_id": tier.id,
                    "renewed_on": today,
                    "kind": "manual",
                    "reason": reason.strip(),
                }
            ],
        )
        return True

    # ------------------------------------------------------------------
    # POS
    # ------------------------------------------------------------------

    @api.model
    def _load_pos_data_fields(self, config):
        return [
            *super()._load_pos_data_fields(config),
            "loyalty_tier_id",
            "loyalty_tier_progress",
        ]

    # ------------------------------------------------------------------
    # Ledger hooks
    # ------------------------------------------------------------------

    def loyalty_adjust(self, kind, amount, description, expiration_date=False):
        row = super().loyalty_adjust(kind, amount, description, expiration_date)
        if kind == "points" and amount > 0:
            # Bonus points given by hand may reach a points tier.
            self.env["loyalty.tier"]._loyalty_review_upgrades(
                self.env.company,
                self.commercial_partner_id.ids,
                fields.Date.context_today(self),
                self.env._("Qualified by bonus points: %s", description.strip()),
            )
        return row

    def _loyalty_reward_purchase(
        self, source, base_amount, date, company, generation=0, **kwargs
    ):
        # The purchase reviews the tier itself (with the points it earns, the
        # signup bonus included): no second review, no second tier change.
        return super(
            ResPartner, self.with_context(loyalty_tier_in_purchase=True)
        )._loyalty_reward_purchase(
            source, base_amount, date, company, generation, **kwargs
        )

    def _loyalty_before_purchase_reward(self, source, base_amount, date, company):
        res = super()._loyalty_before_purchase_reward(
            source, base_amount, date, company
        )
        if not self.env["loyalty.tier"]._loyalty_company_has_tiers(company.id):
            # Nothing to review: the points are not even computed for it.
            return res
        amount = (
            source._loyalty_tier_sale_amount()
            if hasattr(source, "_loyalty_tier_sale_amount")
            else base_amount
        )
        partner = self.commercial_partner_id
        self.env["loyalty.tier"]._loyalty_review_purchase(
            partner,
            source,
            amount,
            date,
            company,
            points=company._loyalty_purchase_points(partner, base_amount, date),
        )
        return res

    def _loyalty_notify(self, event, transactions, **values):
        res = super()._loyalty_notify(event, transactions, **values)
        if event in ("reversed", "returned"):
            self._loyalty_tier_review_reversals(transactions, values)
        if not self.env.context.get("loyalty_tier_in_purchase"):
            self._loyalty_tier_review_bonus(transactions)
        return res

    @api.model
    def _loyalty_tier_review_reversals(self, transactions, values):
        """A reversal of a document the tier engine does not watch itself
        (refund orders, credit notes and cancelled invoices review on their
        own) reviews the tier of its members."""
        rows = transactions.filtered(
            lambda row: row.source_model and row.source_model not in DOCUMENT_MODELS
        )
        day = fields.Date.context_today(self)
        for (company, model, res_id), group in rows.grouped(
            lambda row: (row.company_id, row.source_model, row.source_id)
        ).items():
            if model not in self.env:
                continue
            self.env["loyalty.tier"]._loyalty_review_returns(
                company, group.partner_id.ids, day, self.env[model].browse(res_id)
            )

    @api.model
    def _loyalty_tier_review_bonus(self, transactions):
        """Points earned outside a purchase (signup, greetings, coupons given
        back...) may reach a points tier: review those members at once."""
        rows = transactions.filtered(
            lambda row: (
                row.kind == "points"
                and row.amount > 0
                and row.operation in ("earn", "adjust")
                and row.source_model not in DOCUMENT_MODELS
            )
        )
        day = fields.Date.context_today(self)
        for company, group in rows.grouped("company_id").items():
            self.env["loyalty.tier"]._loyalty_review_upgrades(
                company,
                group.partner_id.ids,
                day,
                self.env._("Qualified by bonus points"),
            )

    # ------------------------------------------------------------------
    # Tier changes (set-based: one purchase or a whole review batch)
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_tier_change(self, company, changes, source=None, date=None):
        """Move customers between tiers of ``company`` in a few statements.

        ``changes`` are dicts ``partner_id``, ``old_tier_id``, ``new_tier_id``
        (False: no tier), ``renewed_on``, ``kind`` (``up`` | ``down`` |
        ``manual``), ``cause`` (see ``loyalty.tier.history``, defaults to the
        kind's) and ``reason``. For each one: the tier and its retention
        anchor are stored, the tier pricelist replaces or gives back the
        customer's pricelist, a history line is written (with ``source``, the
        document that caused it) and ``tier_change`` is announced.
        """
        changes = [
            c for c in changes if (c["old_tier_id"] or 0) != (c["new_tier_id"] or 0)
        ]
        if not changes:
            return
        self.flush_model()
        self.env["loyalty.tier.history"].flush_model()
        tiers = (
            self.env["loyalty.tier"]
            .with_context(active_test=False)
            .browse(
                {c["old_tier_id"] for c in changes if c["old_tier_id"]}
                | {c["new_tier_id"] for c in changes if c["new_tier_id"]}
            )
        )
        self._loyalty_tier_write_state(company, changes)
        self._loyalty_tier_swap_pricelists(company, changes, tiers)
        self.env["loyalty.tier.history"]._loyalty_record(
            company, changes, source=source, date=date
        )
        self.invalidate_model(TIER_STATE_FIELDS)
        self.env["loyalty.tier.history"].invalidate_model()
        self.invalidate_model(["loyalty_tier_history_ids"])
        self._loyalty_tier_announce(company, changes)

    @api.model
    def _loyalty_tier_announce(self, company, changes):
        """One ``tier_change`` event per customer, in the tier's company."""
        empty = self.env["loyalty.transaction"]
        Tier = self.env["loyalty.tier"]
        # One prefetch set for the batch: listeners read the partners together.
        partners = self.with_company(company).browse(c["partner_id"] for c in changes)
        for partner, change in zip(partners, changes, strict=True):
            partner._loyalty_notify(
                "tier_change",
                empty,
                partner=partner,
                old_tier=Tier.browse(change["old_tier_id"] or []),
                new_tier=Tier.browse(change["new_tier_id"] or []),
                reason=change["reason"],
            )

    @api.model
    def _loyalty_tier_write_state(self, company, changes):
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET loyalty_tier_id = COALESCE(p.loyalty_tier_id, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, c.tier_id),
                       loyalty_tier_renewed_on =
                           COALESCE(p.loyalty_tier_renewed_on, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, c.renewed_on)
                  FROM unnest(%(ids)s::int[], %(tier_ids)s::int[], %(days)s::date[])
                       AS c(id, tier_id, renewed_on)
                 WHERE p.id = c.id
                """,
                key=str(company.id),
                ids=[c["partner_id"] for c in changes],
                tier_ids=[c["new_tier_id"] or None for c in changes],
                days=[c["renewed_on"] if c["new_tier_id"] else None for c in changes],
            )
        )

    @api.model
    def _loyalty_tier_swap_pricelists(self, company, changes, tiers):
        """Give the customers their new tier's pricelist (see
        ``_loyalty_tier_apply_pricelists``)."""
        pricelist_of = {tier.id: tier.pricelist_id.id for tier in tiers}
        self._loyalty_tier_apply_pricelists(
            company,
            [
                (
                    c["partner_id"],
                    pricelist_of.get(c["old_tier_id"]) or None,
                    pricelist_of.get(c["new_tier_id"]) or None,
                )
                for c in changes
            ],
        )

    @api.model
    def _loyalty_tier_apply_pricelists(self, company, swaps):
        """Move customers from a tier pricelist to another: ``swaps`` are
        ``(partner_id, old pricelist id, new pricelist id)`` (None: no tier
        pricelist). The customer's own pricelist is kept aside when a tier
        pricelist first replaces it, and given back when they hold no tier
        pricelist any more. A pricelist changed by hand meanwhile is left
        alone."""
        swaps = [swap for swap in swaps if swap[1] != swap[2]]
        if not swaps:
            return
        self.flush_model()
        partner_ids, old_ids, new_ids = zip(*swaps, strict=True)
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET loyalty_tier_saved_pricelist_id =
                           COALESCE(p.loyalty_tier_saved_pricelist_id, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, CASE
                               WHEN c.old_id IS NULL
                               THEN p.specific_property_product_pricelist -> %(key)s
                               WHEN c.new_id IS NULL THEN NULL
                               ELSE p.loyalty_tier_saved_pricelist_id -> %(key)s END),
                       specific_property_product_pricelist =
                           COALESCE(p.specific_property_product_pricelist, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, CASE
                               WHEN c.old_id IS NOT NULL AND c.old_id IS DISTINCT FROM
                                    (p.specific_property_product_pricelist
                                     ->> %(key)s)::int
                               THEN p.specific_property_product_pricelist -> %(key)s
                               WHEN c.new_id IS NULL
                               THEN p.loyalty_tier_saved_pricelist_id -> %(key)s
                               ELSE to_jsonb(c.new_id) END)
                  FROM unnest(%(ids)s::int[], %(old_ids)s::int[], %(new_ids)s::int[])
                       AS c(id, old_id, new_id)
                 WHERE p.id = c.id
                """,
                key=str(company.id),
                ids=list(partner_ids),
                old_ids=list(old_ids),
                new_ids=list(new_ids),
            )
        )
        self.invalidate_model(TIER_STATE_FIELDS)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _loyalty_tier_is_locked(self, day):
        self.ensure_one()
        return bool(
            self.loyalty_tier_locked_until and self.loyalty_tier_locked_until >= day
        )

    def _loyalty_tier_check_manager(self):
        if not (
            self.env.is_superuser()
            or self.env.user.has_group("loyalty_wallet.group_loyalty_manager")
        ):
            raise AccessError(
                self.env._("Only Loyalty Managers can change a customer's tier.")
            )
