# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models, modules
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount

_logger = logging.getLogger(__name__)

# POS order states that mean "sold" (refund orders are sales with negative totals).
POS_SOLD_STATES = ("paid", "done", "invoiced")
QUALIFICATION_FIELDS = (
    "min_points",
    "min_spend",
    "min_order_count",
    "min_order_amount",
)
NON_NEGATIVE_FIELDS = (
    *QUALIFICATION_FIELDS,
    "window_days",
    "cashback_percent",
    "cashback_max_amount",
    "points_multiplier",
    "retention_days",
    "retention_min_amount",
)


class LoyaltyTier(models.Model):
    """A level of the customer club (Bronze, Silver, Gold...).

    A customer qualifies for a tier when they meet any of its qualification
    rules, and holds the best (highest ``sequence``) tier they qualify for.
    """

    _name = "loyalty.tier"
    _inherit = ["pos.load.mixin"]
    _description = "Loyalty Tier"
    _order = "company_id, sequence desc, id desc"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Rank of the tier: the higher, the better. A customer holds the "
        "best tier they qualify for.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(
        translate=True, help="Benefits of the tier as told to customers."
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # Qualification: any rule that is set (non-zero) qualifies.
    min_points = fields.Float(
        string="Minimum Points Earned",
        digits="Loyalty Points",
        help="Points earned (not spent, not expired: earned) within the window.",
    )
    min_spend = fields.Monetary(
        string="Minimum Spend",
        help="Purchases (paid POS orders and posted invoices, minus refunds) "
        "within the window.",
    )
    min_order_count = fields.Integer(
        string="Minimum Number of Orders", help="Orders within the window."
    )
    window_days = fields.Integer(
        string="Window (days)",
        help="Points, spend and orders are counted over the last this many "
        "days; 0 counts the whole history.",
    )
    min_order_amount = fields.Monetary(
        string="Single Order of at Least",
        help="One order of at least this amount (within the window, when one "
        "is set) qualifies.",
    )
    # Benefits
    cashback_percent = fields.Float(
        string="Cashback (%)",
        digits="Loyalty Points",
        help="Cashback offered to the tier's members. It competes with the base "
        "rate and the campaigns: the customer gets the single best offer.",
    )
    cashback_max_amount = fields.Monetary(
        string="Cashback Cap per Order",
        help="Most cashback one order can earn from the tier; 0 means no cap.",
    )
    points_multiplier = fields.Float(
        default=1.0,
        digits="Loyalty Points",
        help="Points earned by the tier's members are multiplied by this "
        "(the best multiplier among tier and campaigns applies).",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        ondelete="restrict",
        check_company=True,
        help="Becomes the customer's pricelist while they hold the tier (their "
        "previous pricelist comes back when they lose it).",
    )
    # Retention
    retention_days = fields.Integer(
        string="Keep If Ordering Within (days)",
        help="The customer keeps the tier only if each qualifying order comes "
        "within this many days of the previous one; 0 keeps it forever.",
    )
    retention_min_amount = fields.Monetary(
        string="Keeping Order of at Least",
        help="Smallest order that counts for keeping the tier.",
    )
    member_count = fields.Integer(
        string="Members", compute="_compute_member_count", compute_sudo=True
    )

    _company_idx = models.Index("(company_id, sequence) WHERE active")

    def _compute_member_count(self):
        self.env["res.partner"].flush_model(["loyalty_tier_id"])
        counts = {}
        for company, tiers in self.grouped("company_id").items():
            if not company:
                continue
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT (loyalty_tier_id ->> %(key)s)::int, COUNT(*)
                      FROM res_partner
                     WHERE (loyalty_tier_id ->> %(key)s)::int = ANY(%(ids)s)
                     GROUP BY 1
                    """,
                    key=str(company.id),
                    ids=tiers.ids,
                )
            )
            counts.update(rows)
        for tier in self:
            tier.member_count = counts.get(tier.id, 0)

    @api.constrains("name", *QUALIFICATION_FIELDS)
    def _check_qualification_rule(self):
        for tier in self:
            if not any(tier[name] for name in QUALIFICATION_FIELDS):
                raise ValidationError(
                    self.env._(
                        "The tier %s needs at least one qualification rule: "
                        "minimum points, minimum spend, minimum number of orders "
                        "or a single order of at least an amount.",
                        tier.name,
                    )
                )

    @api.constrains(*NON_NEGATIVE_FIELDS)
    def _check_non_negative(self):
        for tier in self:
            negative = [
                tier._fields[name].get_description(self.env)["string"]
                for name in NON_NEGATIVE_FIELDS
                if tier[name] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "The tier %(tier)s cannot have negative values: %(fields)s.",
                        tier=tier.name,
                        fields=", ".join(negative),
                    )
                )
            if tier.cashback_percent > 100:
                raise ValidationError(
                    self.env._(
                        "The cashback of the tier %s cannot exceed 100 %%.", tier.name
                    )
                )

    @api.constrains("pricelist_id", "company_id")
    def _check_pricelist_company(self):
        for tier in self:
            pricelist_company = tier.pricelist_id.company_id
            if pricelist_company and pricelist_company != tier.company_id:
                raise ValidationError(
                    self.env._(
                        "The pricelist %(pricelist)s belongs to %(other)s: the "
                        "tier %(tier)s of %(company)s cannot use it.",
                        pricelist=tier.pricelist_id.display_name,
                        other=pricelist_company.name,
                        tier=tier.name,
                        company=tier.company_id.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        if any(self.mapped("member_count")):
            raise UserError(
                self.env._(
                    "Customers hold this tier: archive it instead, or move its "
                    "members first."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loyalty_wallet.action_loyalty_members"
        )
        action["domain"] = [("loyalty_tier_id", "=", self.id)]
        action["context"] = {}
        action["display_name"] = self.display_name
        return action

    # ------------------------------------------------------------------
    # POS
    # ------------------------------------------------------------------

    @api.model
    def _load_pos_data_domain(self, data, config):
        return [("company_id", "=", config.company_id.id)]

    @api.model
    def _load_pos_data_fields(self, config):
        return [
            "id",
            "name",
            "sequence",
            "color",
            "cashback_percent",
            "cashback_max_amount",
            "points_multiplier",
            "pricelist_id",
        ]

    # ------------------------------------------------------------------
    # Benefits
    # ------------------------------------------------------------------

    def _loyalty_cashback_offer(self):
        self.ensure_one()
        return {
            "label": self.name,
            "type": "percent",
            "value": self.cashback_percent,
            "cap": self.cashback_max_amount,
            "min_amount": 0.0,
        }

    def _loyalty_keeps_with(self, amount):
        """Whether an order of ``amount`` renews this tier's retention."""
        self.ensure_one()
        return amount > 0 and amount >= self.retention_min_amount

    def _loyalty_lapsed(self, renewed_on, day):
        """Whether the tier, last renewed on ``renewed_on``, is lost on ``day``."""
        self.ensure_one()
        if not self.retention_days:
            return False
        return (
            not renewed_on
            or fields.Date.add(renewed_on, days=self.retention_days) < day
        )

    def _loyalty_downgrade_reason(self):
        self.ensure_one()
        return self.env._(
            "No order of at least %(amount)s within %(days)s days",
            amount=format_amount(self.env, self.retention_min_amount, self.currency_id),
            days=self.retention_days,
        )

    # ------------------------------------------------------------------
    # Qualification (set-based)
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_sales_query(self, company, partner_ids, exclude=None):
        """Every sale of the customers: paid POS orders and posted customer
        invoices or credit notes not coming from a POS order (refunds are
        negative), as rows ``(partner_id, day, amount)`` in company currency.
        ``exclude`` is a document left out (the one being rewarded, which may
        not be flushed yet: its caller adds it itself)."""
        excluded_pos = exclude.id if exclude and exclude._name == "pos.order" else 0
        excluded_move = exclude.id if exclude and exclude._name == "account.move" else 0
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id,
                   o.date_order::date AS day,
                   o.amount_total AS amount
              FROM pos_order o
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.company_id = %(company)s
               AND o.state IN %(states)s
               AND o.id <> %(excluded_pos)s
               AND o.partner_id IN (
                   SELECT id FROM res_partner
                    WHERE commercial_partner_id = ANY(%(ids)s))
            UNION ALL
            SELECT m.commercial_partner_id,
                   COALESCE(m.invoice_date, m.date),
                   m.amount_total_signed
              FROM account_move m
             WHERE m.company_id = %(company)s
               AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.id <> %(excluded_move)s
               AND m.commercial_partner_id = ANY(%(ids)s)
               AND NOT EXISTS (SELECT 1 FROM pos_order po WHERE po.account_move = m.id)
            """,
            company=company.id,
            states=POS_SOLD_STATES,
            excluded_pos=excluded_pos,
            excluded_move=excluded_move,
            ids=partner_ids,
        )

    @api.model
    def _loyalty_qualified(
        self, company, ceilings, day, *, sale=None, exclude=None, retained=False
    ):
        """The best tier each customer qualifies for on ``day``.

        :param ceilings: ``{partner_id: sequence or None}``: only tiers ranked
            strictly below the sequence are candidates (None: every tier).
        :param sale: ``(partner_id, amount)`` of a sale of ``day`` that is not
            in the database yet (the order being rewarded); with ``exclude``,
            the document not to count twice.
        :param retained: also require the candidate's retention rule to be met
            on ``day`` (a downgrade lands only on a tier the customer keeps).
        :return: ``{partner_id: (tier_id, last_keeping_day)}`` for the
            customers that qualify for a tier, where ``last_keeping_day`` is the
            day of their last order that keeps the tier.
        """
        if not ceilings:
            return {}
        for model in (
            "res.partner",
            "pos.order",
            "account.move",
            "loyalty.transaction",
        ):
            self.env[model].flush_model()
        self.flush_model()
        ids = list(ceilings)
        sale_partner, sale_amount = sale or (None, 0.0)
        rows = self.env.execute_query(
            SQL(
                """
                WITH batch AS (
                    SELECT * FROM unnest(%(ids)s::int[], %(ceilings)s::int[])
                        AS b(partner_id, ceiling)
                ), tiers AS (
                    SELECT t.*, CASE WHEN t.window_days > 0
                                     THEN %(day)s::date - t.window_days END AS since
                      FROM loyalty_tier t
                     WHERE t.company_id = %(company)s AND t.active
                ), sales AS (
                    %(sales)s
                    UNION ALL
                    SELECT %(sale_partner)s::int, %(day)s::date, %(sale_amount)s
                     WHERE %(sale_partner)s::int IS NOT NULL
                ), sale_stats AS (
                    SELECT s.partner_id, t.id AS tier_id,
                           SUM(s.amount) FILTER (WHERE s.day > t.since
                                                    OR t.since IS NULL) AS spend,
                           COUNT(*) FILTER (WHERE s.amount > 0 AND (
                               s.day > t.since OR t.since IS NULL)) AS orders,
                           MAX(s.amount) FILTER (WHERE s.day > t.since
                                                    OR t.since IS NULL) AS biggest,
                           MAX(s.day) FILTER (WHERE s.amount > 0 AND
                               s.amount >= t.retention_min_amount) AS kept_on
                      FROM sales s CROSS JOIN tiers t
                     GROUP BY s.partner_id, t.id
                ), point_stats AS (
                    SELECT l.partner_id, t.id AS tier_id, SUM(l.amount) AS points
                      FROM loyalty_transaction l
                      JOIN tiers t ON l.date::date > t.since OR t.since IS NULL
                     WHERE l.company_id = %(company)s
                       AND l.kind = 'points' AND l.operation = 'earn' AND l.amount > 0
                       AND l.partner_id = ANY(%(ids)s)
                     GROUP BY l.partner_id, t.id
                )
                SELECT DISTINCT ON (b.partner_id) b.partner_id, t.id, ss.kept_on
                  FROM batch b
                 CROSS JOIN tiers t
                  LEFT JOIN sale_stats ss
                    ON ss.partner_id = b.partner_id AND ss.tier_id = t.id
                  LEFT JOIN point_stats ps
                    ON ps.partner_id = b.partner_id AND ps.tier_id = t.id
                 WHERE (b.ceiling IS NULL OR t.sequence < b.ceiling)
                   AND (   (t.min_points > 0 AND ps.points >= t.min_points)
                        OR (t.min_spend > 0 AND ss.spend >= t.min_spend)
                        OR (t.min_order_count > 0 AND ss.orders >= t.min_order_count)
                        OR (t.min_order_amount > 0
                            AND ss.biggest >= t.min_order_amount))
                   AND (NOT %(retained)s OR t.retention_days = 0
                        OR ss.kept_on >= %(day)s::date - t.retention_days)
                 ORDER BY b.partner_id, t.sequence DESC, t.id DESC
                """,
                ids=ids,
                ceilings=[ceilings[pid] for pid in ids],
                day=day,
                company=company.id,
                sales=self._loyalty_sales_query(company, ids, exclude),
                sale_partner=sale_partner,
                sale_amount=sale_amount,
                retained=retained,
            )
        )
        return {partner_id: (tier_id, kept_on) for partner_id, tier_id, kept_on in rows}

    # ------------------------------------------------------------------
    # Upgrade at the time of sale
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_review_purchase(self, partner, source, amount, date, company):
        """Move ``partner`` to the tier this purchase earns them, before the
        purchase is rewarded (so it already earns at the new tier's rate).

        A tier that lapsed before this purchase is lost first (the purchase
        came too late to keep it), then the purchase may qualify again. A
        purchase that keeps the current tier renews its retention. Calling it
        again for the same ``source`` changes nothing.
        """
        if not self.search_count([("company_id", "=", company.id)], limit=1):
            # A shop without tiers pays nothing at the till (a customer can't
            # hold a tier that doesn't exist: tiers in use can't be deleted).
            return
        day = fields.Date.to_date(date)
        partner_c = partner.with_company(company)
        current = company._loyalty_tier_of(partner)
        if current and not partner_c._loyalty_tier_is_locked(day):
            if current._loyalty_lapsed(partner_c.loyalty_tier_renewed_on, day):
                self._loyalty_review_lapsed(company, [partner.id], day, exclude=source)
                current = partner_c.loyalty_tier_id
        best = self._loyalty_qualified(
            company, {partner.id: None}, day, sale=(partner.id, amount), exclude=source
        ).get(partner.id)
        best_tier = self.browse(best[0]) if best else self.browse()
        if best_tier and (not current or best_tier.sequence > current.sequence):
            partner._loyalty_tier_change(
                company,
                [
                    {
                        "partner_id": partner.id,
                        "old_tier_id": current.id,
                        "new_tier_id": best_tier.id,
                        "renewed_on": day,
                        "kind": "up",
                        "reason": self.env._(
                            "Qualified by %(document)s (%(amount)s)",
                            document=source.display_name,
                            amount=format_amount(self.env, amount, company.currency_id),
                        ),
                    }
                ],
                source=source,
                date=date,
            )
        elif current and current._loyalty_keeps_with(amount):
            # sudo: a cashier's sale renews the tier of a contact they may not edit.
            partner_c.sudo().loyalty_tier_renewed_on = max(
                day, partner_c.loyalty_tier_renewed_on or day
            )

    # ------------------------------------------------------------------
    # Retention review (daily cron)
    # ------------------------------------------------------------------

    @api.model
    def _cron_loyalty_tier_review(self, batch_size=5000):
        """Downgrade the customers whose tier lapsed (no keeping order in
        time) to the best tier they still qualify for and keep, skipping locked
        customers. Set-based, by batches of ``batch_size`` customers committed
        one by one: after a crash, running it again goes on where it stopped
        (the customers already reviewed are no longer lapsed)."""
        today = fields.Date.context_today(self)
        for company in self.search([("retention_days", ">", 0)]).company_id:
            after_id = 0
            while True:
                partner_ids = self._loyalty_lapsed_partner_ids(
                    company, today, after_id, batch_size
                )
                if not partner_ids:
                    break
                self._loyalty_review_lapsed(company, partner_ids, today)
                after_id = partner_ids[-1]
                _logger.info(
                    "Tier review of %s: %s customers reviewed up to #%s",
                    company.name,
                    len(partner_ids),
                    after_id,
                )
                if not modules.module.current_test:
                    self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _loyalty_lapsed_partner_ids(self, company, day, after_id, limit):
        """Customers of ``company`` (ids above ``after_id``, in id order) whose
        tier lapsed on ``day`` and is not locked."""
        self.env["res.partner"].flush_model(
            ["loyalty_tier_id", "loyalty_tier_renewed_on", "loyalty_tier_locked_until"]
        )
        key = str(company.id)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p
                  JOIN loyalty_tier t ON t.id = (p.loyalty_tier_id ->> %(key)s)::int
                 WHERE p.id > %(after_id)s
                   AND t.retention_days > 0
                   AND COALESCE((p.loyalty_tier_renewed_on ->> %(key)s)::date,
                                '0001-01-01'::date) + t.retention_days < %(day)s
                   AND COALESCE((p.loyalty_tier_locked_until ->> %(key)s)::date,
                                '0001-01-01'::date) < %(day)s
                 ORDER BY p.id
                 LIMIT %(limit)s
                """,
                key=key,
                after_id=after_id,
                day=day,
                limit=limit,
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _loyalty_review_lapsed(self, company, partner_ids, day, exclude=None):
        """Downgrade ``partner_ids``, whose tier lapsed, to the best lower tier
        they qualify for and keep on ``day`` (or to none), not counting the
        document ``exclude`` (a purchase that came too late to keep the tier)."""
        self.env["res.partner"].flush_model()
        key = str(company.id)
        current = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT p.id, (p.loyalty_tier_id ->> %(key)s)::int
                      FROM res_partner p
                     WHERE p.id = ANY(%(ids)s)
                       AND p.loyalty_tier_id ->> %(key)s IS NOT NULL
                    """,
                    key=key,
                    ids=list(partner_ids),
                )
            )
        )
        tiers = self.with_context(active_test=False).search(
            [("company_id", "=", company.id)]
        )
        sequences = {tier.id: tier.sequence for tier in tiers}
        ceilings = {pid: sequences.get(tier_id) for pid, tier_id in current.items()}
        qualified = self._loyalty_qualified(
            company, ceilings, day, exclude=exclude, retained=True
        )
        reasons = {tier.id: tier._loyalty_downgrade_reason() for tier in tiers}
        changes = []
        for partner_id, old_tier_id in current.items():
            new_tier_id, kept_on = qualified.get(partner_id, (False, None))
            changes.append(
                {
                    "partner_id": partner_id,
                    "old_tier_id": old_tier_id,
                    "new_tier_id": new_tier_id,
                    "renewed_on": kept_on or day,
                    "kind": "down",
                    "reason": reasons[old_tier_id],
                }
            )
        self.env["res.partner"]._loyalty_tier_change(company, changes)
