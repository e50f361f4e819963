# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models, modules
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount, formatLang

from odoo.addons.loyalty_wallet.tools import format_loyalty_date

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

    def write(self, vals):
        old_pricelists = (
            {tier.id: tier.pricelist_id.id for tier in self}
            if "pricelist_id" in vals
            else {}
        )
        archived = self.filtered("active") if vals.get("active") is False else None
        res = super().write(vals)
        if old_pricelists:
            self._loyalty_move_pricelists(old_pricelists)
        if archived:
            archived._loyalty_move_members_of_archived()
        return res

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
            # the description names the tier in the reader's language
            "ref": f"{self._name},{self.id}",
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
    # Where do I stand (progress texts)
    # ------------------------------------------------------------------

    def _loyalty_progress(self, current, renewed_on, stats, day):
        """``(text, percent)`` telling a customer what it takes to reach the
        next tier and to keep the current one, in ``self.env``'s language.

        :param self: the active tiers of the company, worst first.
        :param stats: ``{tier_id: figures}`` of the customer (see
            ``_loyalty_stats``).
        """
        parts, percent = [], 0.0
        current = current if current and current.active else self.browse()
        higher = self.filtered(lambda t: not current or t.sequence > current.sequence)
        if higher:
            reach = higher[0]._loyalty_reach(stats.get(higher[0].id) or {})
            if reach:
                parts.append(reach[0])
                percent = reach[1]
        elif current:
            percent = 100.0
        if current.retention_days:
            parts.append(current._loyalty_keep_text(renewed_on or day))
        return " · ".join(parts), percent

    def _loyalty_reach(self, figures):
        """``(text, percent)`` of the qualification rule of this tier the
        customer is closest to meeting, or None when they meet one."""
        self.ensure_one()
        options = []
        # (threshold, figure and rule name, nothing done yet, counted since)
        for threshold, rule, nothing, first in (
            (self.min_spend, "spend", 0.0, "first_sale"),
            (self.min_points, "points", 0.0, "first_points"),
            (self.min_order_count, "orders", 0, "first_sale"),
        ):
            if threshold:
                done = figures.get(rule) or nothing
                options.append((done / threshold, rule, threshold - done, first))
        if self.min_order_amount:
            done = figures.get("biggest") or 0.0
            options.append(
                (done / self.min_order_amount, "order", self.min_order_amount, None)
            )
        if not options or any(ratio >= 1 for ratio, *_rest in options):
            return None
        ratio, rule, need, first = max(options, key=lambda option: option[0])
        # The oldest purchase counted leaves the window on that day: what is
        # missing grows after it.
        until = (
            fields.Date.add(figures[first], days=self.window_days)
            if first and self.window_days and figures.get(first)
            else None
        )
        return self._loyalty_reach_text(rule, need, until), max(ratio, 0.0) * 100

    def _loyalty_reach_text(self, rule, need, until):
        self.ensure_one()
        env = self.env
        values = {
            "tier": self.name,
            "date": format_loyalty_date(env, until) if until else "",
            "amount": format_amount(env, need, self.currency_id),
            "points": formatLang(env, need, digits=0),
            "count": int(need),
        }
        if rule == "spend" and until:
            text = env._("Spend %(amount)s more before %(date)s to reach %(tier)s")
        elif rule == "spend":
            text = env._("Spend %(amount)s more to reach %(tier)s")
        elif rule == "points" and until:
            text = env._(
                "Earn %(points)s more points before %(date)s to reach %(tier)s"
            )
        elif rule == "points":
            text = env._("Earn %(points)s more points to reach %(tier)s")
        elif rule == "orders" and until:
            text = env._(
                "Place %(count)s more orders before %(date)s to reach %(tier)s"
            )
        elif rule == "orders":
            text = env._("Place %(count)s more orders to reach %(tier)s")
        else:
            text = env._("Place one order of at least %(amount)s to reach %(tier)s")
        return text % values

    def _loyalty_keep_deadline(self, renewed_on):
        """First day the tier, last renewed on ``renewed_on``, is lost."""
        self.ensure_one()
        return fields.Date.add(renewed_on, days=self.retention_days + 1)

    def _loyalty_keep_text(self, renewed_on):
        self.ensure_one()
        values = {
            "tier": self.name,
            "date": format_loyalty_date(
                self.env, self._loyalty_keep_deadline(renewed_on)
            ),
            "amount": format_amount(
                self.env, self.retention_min_amount, self.currency_id
            ),
        }
        if self.retention_min_amount:
            return self.env._(
                "Order at least %(amount)s before %(date)s to keep %(tier)s", **values
            )
        return self.env._("Order again before %(date)s to keep %(tier)s", **values)

    # ------------------------------------------------------------------
    # Qualification (set-based)
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_sales_query(self, company, partner_ids, exclude=None):
        """Every sale of the customers, net of its returns, as rows
        ``(partner_id, day, amount)`` in company currency: paid POS orders and
        posted customer invoices not coming from a POS order. A POS refund
        (a negative order: its ``refunded_order_id``, found through its lines;
        only refunds are looked up, the review runs over whole customer bases)
        or a credit note
        (``reversed_entry_id``) is added to the document it returns, on that
        document's day: an order of 2,000 returned the next day counts 0 for
        the single-order, count and spend rules. A credit note of no invoice
        stays a negative row of its own day. ``exclude`` is a document left
        out (the one being rewarded, which may not be flushed yet, or a return
        whose effect is being measured)."""
        excluded_pos = exclude.id if exclude and exclude._name == "pos.order" else 0
        excluded_move = exclude.id if exclude and exclude._name == "account.move" else 0
        return SQL(
            """
            WITH docs AS (
                SELECT p.commercial_partner_id AS partner_id,
                       'pos' AS model,
                       COALESCE(ref.order_id, o.id) AS doc_id,
                       ref.order_id IS NULL AS original,
                       o.date_order::date AS day,
                       o.amount_total AS amount
                  FROM pos_order o
                  JOIN res_partner p ON p.id = o.partner_id
                  LEFT JOIN LATERAL (
                      SELECT returned.order_id
                        FROM pos_order_line line
                        JOIN pos_order_line returned
                          ON returned.id = line.refunded_orderline_id
                       WHERE o.amount_total < 0 AND line.order_id = o.id
                       LIMIT 1
                  ) ref ON TRUE
                 WHERE o.company_id = %(company)s
                   AND o.state IN %(states)s
                   AND o.id <> %(excluded_pos)s
                   AND o.partner_id IN (
                       SELECT id FROM res_partner
                        WHERE commercial_partner_id = ANY(%(ids)s))
                UNION ALL
                SELECT m.commercial_partner_id,
                       'move',
                       COALESCE(m.reversed_entry_id, m.id),
                       m.reversed_entry_id IS NULL,
                       COALESCE(m.invoice_date, m.date),
                       m.amount_total_signed
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.id <> %(excluded_move)s
                   AND m.commercial_partner_id = ANY(%(ids)s)
                   AND NOT EXISTS (
                       SELECT 1 FROM pos_order po WHERE po.account_move = m.id)
            )
            SELECT partner_id,
                   COALESCE(MIN(day) FILTER (WHERE original), MIN(day)) AS day,
                   SUM(amount) AS amount
              FROM docs
             GROUP BY partner_id, model, doc_id
            """,
            company=company.id,
            states=POS_SOLD_STATES,
            excluded_pos=excluded_pos,
            excluded_move=excluded_move,
            ids=partner_ids,
        )

    @api.model
    def _loyalty_points_query(self, company, partner_ids, exclude=None):
        """Points earned by the customers, net of their reversals, as rows
        ``(partner_id, day, points)``: purchase points, bonus points (signup,
        greetings) and managers' adjustments; a reversal (``origin_id``) is
        taken off the earning it reverses, on that earning's day. Points spent
        or expired were still earned. The movements of ``exclude`` (a return
        whose effect is measured) are left out."""
        return SQL(
            """
            SELECT l.partner_id, COALESCE(o.date, l.date)::date AS day,
                   l.amount AS points
              FROM loyalty_transaction l
              LEFT JOIN loyalty_transaction o ON o.id = l.origin_id
             WHERE l.company_id = %(company)s
               AND l.kind = 'points'
               AND l.partner_id = ANY(%(ids)s)
               AND (   (l.operation IN ('earn', 'adjust') AND l.origin_id IS NULL)
                    OR (l.operation = 'reverse'
                        AND o.operation IN ('earn', 'adjust')))
               AND NOT (l.source_model IS NOT DISTINCT FROM %(excluded_model)s
                        AND l.source_id IS NOT DISTINCT FROM %(excluded_id)s
                        AND %(excluded_model)s::varchar IS NOT NULL)
            """,
            company=company.id,
            ids=partner_ids,
            excluded_model=exclude._name if exclude else None,
            excluded_id=exclude.id if exclude else None,
        )

    @api.model
    def _loyalty_stats_ctes(
        self, company, ceilings, day, *, sale=None, exclude=None, since=None
    ):
        """The common table expressions ``batch`` (the customers, their
        ceiling and the day counting starts: their last lapse), ``tiers``
        (active tiers of ``company`` with the start of their window),
        ``sale_stats`` and ``point_stats`` (per customer and tier: net spend,
        orders, biggest order, first counted sale, last keeping day, net
        points). See ``_loyalty_qualified`` for the parameters."""
        for model in (
            "res.partner",
            "pos.order",
            "pos.order.line",
            "account.move",
            "loyalty.transaction",
            "loyalty.tier.history",
        ):
            self.env[model].flush_model()
        self.flush_model()
        ids = list(ceilings)
        since = since or {}
        sale_partner, sale_amount, sale_points, *sale_day = sale or (None, 0.0, 0.0)
        sale_day = sale_day[0] if sale_day else day
        return SQL(
            """
            batch AS (
                SELECT b.partner_id, b.ceiling,
                       GREATEST(b.since, lapse.day) AS since
                  FROM unnest(%(ids)s::int[], %(ceilings)s::int[],
                              %(since)s::date[]) AS b(partner_id, ceiling, since)
                  LEFT JOIN LATERAL (
                      SELECT MAX(h.date)::date AS day
                        FROM loyalty_tier_history h
                       WHERE h.partner_id = b.partner_id
                         AND h.company_id = %(company)s
                         AND h.cause = 'lapsed'
                  ) lapse ON TRUE
            ), tiers AS (
                SELECT t.*, CASE WHEN t.window_days > 0
                                 THEN %(day)s::date - t.window_days END AS since
                  FROM loyalty_tier t
                 WHERE t.company_id = %(company)s AND t.active
            ), sales AS (
                SELECT s.* FROM (%(sales)s) s
                  JOIN batch b ON b.partner_id = s.partner_id
                 WHERE b.since IS NULL OR s.day >= b.since
                UNION ALL
                SELECT %(sale_partner)s::int, %(sale_day)s::date, %(sale_amount)s
                 WHERE %(sale_partner)s::int IS NOT NULL
            ), sale_stats AS (
                SELECT s.partner_id, t.id AS tier_id,
                       SUM(s.amount) FILTER (WHERE s.day > t.since
                                                OR t.since IS NULL) AS spend,
                       COUNT(*) FILTER (WHERE s.amount > 0 AND (
                           s.day > t.since OR t.since IS NULL)) AS orders,
                       MAX(s.amount) FILTER (WHERE s.day > t.since
                                                OR t.since IS NULL) AS biggest,
                       MIN(s.day) FILTER (WHERE s.amount > 0 AND (
                           s.day > t.since OR t.since IS NULL)) AS first_day,
                       MAX(s.day) FILTER (WHERE s.amount > 0 AND
                           s.amount >= t.retention_min_amount) AS kept_on
                  FROM sales s CROSS JOIN tiers t
                 GROUP BY s.partner_id, t.id
            ), points AS (
                SELECT l.* FROM (%(points)s) l
                  JOIN batch b ON b.partner_id = l.partner_id
                 WHERE b.since IS NULL OR l.day >= b.since
                UNION ALL
                SELECT %(sale_partner)s::int, %(day)s::date, %(sale_points)s
                 WHERE %(sale_partner)s::int IS NOT NULL
            ), point_stats AS (
                SELECT l.partner_id, t.id AS tier_id, SUM(l.points) AS points,
                       MIN(l.day) FILTER (WHERE l.points > 0) AS first_day
                  FROM points l
                  JOIN tiers t ON l.day > t.since OR t.since IS NULL
                 GROUP BY l.partner_id, t.id
            )
            """,
            ids=ids,
            ceilings=[ceilings[pid] for pid in ids],
            since=[since.get(pid) for pid in ids],
            day=day,
            company=company.id,
            sales=self._loyalty_sales_query(company, ids, exclude),
            points=self._loyalty_points_query(company, ids, exclude),
            sale_partner=sale_partner,
            sale_amount=sale_amount,
            sale_points=sale_points,
            sale_day=sale_day,
        )

    @api.model
    def _loyalty_stats(self, company, partner_ids, day):
        """``{(partner_id, tier_id): {spend, orders, biggest, points,
        first_sale, first_points}}``: where each customer stands for each
        active tier on ``day`` (what the progress text tells them)."""
        if not partner_ids:
            return {}
        rows = self.env.execute_query(
            SQL(
                """
                WITH %(stats)s
                SELECT b.partner_id, t.id, COALESCE(ss.spend, 0),
                       COALESCE(ss.orders, 0), COALESCE(ss.biggest, 0),
                       COALESCE(ps.points, 0), ss.first_day, ps.first_day
                  FROM batch b
                 CROSS JOIN tiers t
                  LEFT JOIN sale_stats ss
                    ON ss.partner_id = b.partner_id AND ss.tier_id = t.id
                  LEFT JOIN point_stats ps
                    ON ps.partner_id = b.partner_id AND ps.tier_id = t.id
                """,
                stats=self._loyalty_stats_ctes(
                    company, dict.fromkeys(partner_ids), day
                ),
            )
        )
        keys = ("spend", "orders", "biggest", "points", "first_sale", "first_points")
        return {(row[0], row[1]): dict(zip(keys, row[2:], strict=True)) for row in rows}

    @api.model
    def _loyalty_qualified(
        self,
        company,
        ceilings,
        day,
        *,
        sale=None,
        exclude=None,
        retained=False,
        since=None,
    ):
        """The best tier each customer qualifies for on ``day``.

        Everything is counted net of returns and reversals, and only from the
        customer's last lapse on: a member who lost a tier for missing its
        retention regains a tier only by meeting its entry rules again.

        :param ceilings: ``{partner_id: sequence or None}``: only tiers ranked
            strictly below the sequence are candidates (None: every tier).
        :param sale: ``(partner_id, amount, points[, sale_day])`` of a sale
            (of ``day`` by default) that is not in the database (the order
            being rewarded, with the points it is about to earn, or a cancelled
            invoice as it was); with ``exclude``, the document not to count
            twice.
        :param retained: also require the candidate's retention rule to be met
            on ``day`` (a downgrade lands only on a tier the customer keeps).
        :param since: ``{partner_id: date}``: count nothing before that day
            (a lapse decided but not recorded yet).
        :return: ``{partner_id: (tier_id, last_keeping_day)}`` for the
            customers that qualify for a tier, where ``last_keeping_day`` is the
            day of their last order that keeps the tier.
        """
        if not ceilings:
            return {}
        rows = self.env.execute_query(
            SQL(
                """
                WITH %(stats)s
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
                stats=self._loyalty_stats_ctes(
                    company, ceilings, day, sale=sale, exclude=exclude, since=since
                ),
                day=day,
                retained=retained,
            )
        )
        return {partner_id: (tier_id, kept_on) for partner_id, tier_id, kept_on in rows}

    # ------------------------------------------------------------------
    # Upgrade at the time of sale
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_company_has_tiers(self, company_id):
        """Whether the company has an active tier (every paid order asks;
        see ``res.company.loyalty_has_tiers``)."""
        # sudo: which tiers exist is not a secret of the user who sells.
        return self.env["res.company"].sudo().browse(company_id).loyalty_has_tiers

    @api.model
    def _loyalty_review_purchase(
        self, partner, source, amount, date, company, points=0.0
    ):
        """Move ``partner`` to the tier this purchase earns them, before the
        purchase is rewarded (so it already earns at the new tier's rate).

        ``points`` are the points the purchase is about to earn: they count
        for points rules now. A tier that lapsed before this purchase is lost
        (the purchase came too late to keep it) and only what the customer
        did since counts to regain one. Whatever happens, the purchase makes
        one net change (one history line, one ``tier_change`` event). A
        purchase that keeps the tier renews its retention. Calling it again for
        the same ``source`` changes nothing.
        """
        if not self._loyalty_company_has_tiers(company.id):
            # A shop without tiers pays nothing at the till (a customer can't
            # hold a tier that doesn't exist: tiers in use can't be deleted).
            return
        day = fields.Date.to_date(date)
        partner_c = partner.with_company(company)
        old = company._loyalty_tier_of(partner)
        current, kept_on, lapsed = old, None, False
        if old and not partner_c._loyalty_tier_is_locked(day):
            if old._loyalty_lapsed(partner_c.loyalty_tier_renewed_on, day):
                lapsed = True
                kept = self._loyalty_qualified(
                    company,
                    {partner.id: old.sequence},
                    day,
                    exclude=source,
                    retained=True,
                ).get(partner.id)
                current = self.browse(kept and kept[0])
                kept_on = kept and kept[1]
        best = self._loyalty_qualified(
            company,
            {partner.id: None},
            day,
            sale=(partner.id, amount, points),
            exclude=source,
            since={partner.id: day} if lapsed else None,
        ).get(partner.id)
        best_tier = self.browse(best and best[0])
        if best_tier and (not current or best_tier.sequence > current.sequence):
            new, renewed_on = best_tier, day
        elif current and current._loyalty_keeps_with(amount):
            new, renewed_on = current, day
        else:
            new, renewed_on = current, kept_on
        if new == old:
            if renewed_on:
                # sudo: a cashier's sale renews the tier of a contact they may
                # not edit.
                partner_c.sudo().loyalty_tier_renewed_on = max(
                    renewed_on, partner_c.loyalty_tier_renewed_on or renewed_on
                )
            return
        upgrade = not old or (new and new.sequence > old.sequence)
        if upgrade:
            reason = self.env._(
                "Qualified by %(document)s (%(amount)s)",
                document=source.display_name,
                amount=format_amount(self.env, amount, company.currency_id),
            )
        else:
            reason = old._loyalty_downgrade_reason()
        partner._loyalty_tier_change(
            company,
            [
                {
                    "partner_id": partner.id,
                    "old_tier_id": old.id,
                    "new_tier_id": new.id,
                    "renewed_on": renewed_on or day,
                    "kind": "up" if upgrade else "down",
                    "cause": "qualified" if upgrade else "lapsed",
                    "reason": reason,
                }
            ],
            source=source,
            date=date,
        )

    # ------------------------------------------------------------------
    # Reviews of a few members (returns, bonus points, configuration)
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_current_tiers(self, company, partner_ids, day=None):
        """``{partner_id: tier}`` of the customers holding a tier of
        ``company`` (archived ones included); with ``day``, customers whose
        tier is locked on that day are left out."""
        self.env["res.partner"].flush_model(
            ["loyalty_tier_id", "loyalty_tier_locked_until"]
        )
        key = str(company.id)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, (p.loyalty_tier_id ->> %(key)s)::int
                  FROM res_partner p
                 WHERE p.id = ANY(%(ids)s)
                   AND p.loyalty_tier_id ->> %(key)s IS NOT NULL
                   AND (%(day)s::date IS NULL OR COALESCE(
                        (p.loyalty_tier_locked_until ->> %(key)s)::date,
                        '0001-01-01'::date) < %(day)s::date)
                """,
                key=key,
                ids=list(partner_ids),
                day=day,
            )
        )
        tiers = self.with_context(active_test=False).browse({r[1] for r in rows})
        by_id = {tier.id: tier for tier in tiers}
        return {partner_id: by_id[tier_id] for partner_id, tier_id in rows}

    @api.model
    def _loyalty_review_returns(self, company, partner_ids, day, refund, sale=None):
        """Downgrade the customers who hold their tier only thanks to goods
        they have now returned with ``refund`` (a POS refund, a credit note or
        a cancelled invoice, given back as ``sale``, see ``_loyalty_qualified``):
        counted without ``refund`` they still reach the tier, counted with it
        they don't. A tier kept by its retention (its
        entry rules met long ago) is not taken away by a later return."""
        current = self._loyalty_current_tiers(company, partner_ids, day)
        if not current:
            return
        ceilings = dict.fromkeys(current)
        net = self._loyalty_qualified(company, ceilings, day)
        gross = self._loyalty_qualified(
            company, ceilings, day, exclude=refund, sale=sale
        )
        tiers = self.browse({v[0] for v in (*net.values(), *gross.values())})
        sequence = {tier.id: tier.sequence for tier in tiers}
        changes = []
        for partner_id, tier in current.items():
            net_tier_id, kept_on = net.get(partner_id, (False, None))
            gross_tier_id = gross.get(partner_id, (False, None))[0]
            if net_tier_id and sequence[net_tier_id] >= tier.sequence:
                continue
            if not gross_tier_id or sequence[gross_tier_id] < tier.sequence:
                continue
            changes.append(
                {
                    "partner_id": partner_id,
                    "old_tier_id": tier.id,
                    "new_tier_id": net_tier_id,
                    "renewed_on": kept_on or day,
                    "kind": "down",
                    "cause": "returned",
                    "reason": self.env._(
                        "%(tier)s was reached with goods returned by %(document)s",
                        tier=tier.name,
                        document=refund.display_name,
                    ),
                }
            )
        self.env["res.partner"]._loyalty_tier_change(company, changes, source=refund)

    @api.model
    def _loyalty_review_upgrades(self, company, partner_ids, day, reason):
        """Raise the customers to the best tier they now qualify for (bonus
        points, the nightly safety net); never lowers anyone."""
        if not self._loyalty_company_has_tiers(company.id):
            return
        current = self._loyalty_current_tiers(company, partner_ids)
        qualified = self._loyalty_qualified(company, dict.fromkeys(partner_ids), day)
        tiers = self.browse({tier_id for tier_id, _kept in qualified.values()})
        by_id = {tier.id: tier for tier in tiers}
        changes = []
        for partner_id, (tier_id, _kept) in qualified.items():
            old = current.get(partner_id, self.browse())
            new = by_id[tier_id]
            if old and old.active and old.sequence >= new.sequence:
                continue
            changes.append(
                {
                    "partner_id": partner_id,
                    "old_tier_id": old.id,
                    "new_tier_id": new.id,
                    "renewed_on": day,
                    "kind": "up",
                    "cause": "qualified",
                    "reason": reason,
                }
            )
        self.env["res.partner"]._loyalty_tier_change(company, changes)

    def _loyalty_move_members_of_archived(self):
        """Members of the archived tiers ``self`` go to the best active tier
        they qualify for (or to none): an archived tier pays nothing."""
        today = fields.Date.context_today(self)
        for company, tiers in self.grouped("company_id").items():
            members = self.env["res.partner"].with_context(active_test=False)
            members = members.search(
                [("loyalty_tier_id", "in", tiers.ids)]
            ).with_company(company)
            if not members:
                continue
            qualified = self._loyalty_qualified(
                company, dict.fromkeys(members.ids), today
            )
            targets = self.browse({v[0] for v in qualified.values()})
            sequence = {tier.id: tier.sequence for tier in targets}
            changes = []
            for member in members:
                old = member.loyalty_tier_id
                new_tier_id, _kept = qualified.get(member.id, (False, None))
                changes.append(
                    {
                        "partner_id": member.id,
                        "old_tier_id": old.id,
                        "new_tier_id": new_tier_id,
                        "renewed_on": today,
                        "kind": "up"
                        if new_tier_id and sequence[new_tier_id] > old.sequence
                        else "down",
                        "cause": "config",
                        "reason": self.env._("Tier %s archived", old.name),
                    }
                )
            self.env["res.partner"]._loyalty_tier_change(company, changes)

    def _loyalty_move_pricelists(self, old_pricelists):
        """The members of each tier of ``self`` follow its pricelist change
        (``old_pricelists``: ``{tier_id: previous pricelist id}``)."""
        Partner = self.env["res.partner"]
        for tier in self:
            old_id = old_pricelists.get(tier.id) or None
            new_id = tier.pricelist_id.id or None
            if old_id == new_id:
                continue
            members = Partner.with_context(active_test=False).with_company(
                tier.company_id
            )
            members = members.search([("loyalty_tier_id", "=", tier.id)])
            Partner._loyalty_tier_apply_pricelists(
                tier.company_id, [(pid, old_id, new_id) for pid in members.ids]
            )

    # ------------------------------------------------------------------
    # Retention review (daily cron)
    # ------------------------------------------------------------------

    @api.model
    def _cron_loyalty_tier_review(self, batch_size=5000):
        """Downgrade the customers whose tier lapsed (no keeping order in
        time) to the best tier they still qualify for and keep, skipping locked
        customers; then upgrade the customers active since yesterday who
        qualify for a better tier (a safety net: purchases and bonus points
        upgrade at once). Set-based, by batches of ``batch_size`` customers
        committed one by one: after a crash, running it again goes on where it
        stopped (the customers already reviewed are no longer lapsed)."""
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
                self._loyalty_commit()
        for company in self.search([("retention_days", ">", 0)]).company_id:
            if company.loyalty_tier_risk_days > 0:
                self._loyalty_warn_at_risk(company, today, batch_size)
        for (company,) in self._read_group([], ["company_id"]):
            after_id = 0
            while True:
                partner_ids = self._loyalty_active_partner_ids(
                    company, fields.Date.add(today, days=-1), after_id, batch_size
                )
                if not partner_ids:
                    break
                self._loyalty_review_upgrades(
                    company,
                    partner_ids,
                    today,
                    self.env._("Qualified (nightly review)"),
                )
                after_id = partner_ids[-1]
                self._loyalty_commit()

    @api.model
    def _loyalty_warn_at_risk(self, company, day, batch_size=5000):
        """Announce ``tier_at_risk`` to the members whose tier lapses within
        ``company.loyalty_tier_risk_days`` days, once per retention period
        (the period is known by the day it started: ``renewed_on``)."""
        Partner = self.env["res.partner"].with_company(company)
        key = str(company.id)
        while True:
            Partner.flush_model()
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT p.id, t.id,
                           (p.loyalty_tier_renewed_on ->> %(key)s)::date
                      FROM res_partner p
                      JOIN loyalty_tier t
                        ON t.id = (p.loyalty_tier_id ->> %(key)s)::int
                     WHERE t.retention_days > 0 AND t.active
                       AND (p.loyalty_tier_renewed_on ->> %(key)s)::date
                           + t.retention_days + 1 - %(risk)s <= %(day)s
                       AND (p.loyalty_tier_renewed_on ->> %(key)s)::date
                           + t.retention_days >= %(day)s
                       AND COALESCE((p.loyalty_tier_locked_until ->> %(key)s)::date,
                                    '0001-01-01'::date)
                           < (p.loyalty_tier_renewed_on ->> %(key)s)::date
                             + t.retention_days + 1
                       AND (p.loyalty_tier_risk_warned_for ->> %(key)s)::date
                           IS DISTINCT FROM
                           (p.loyalty_tier_renewed_on ->> %(key)s)::date
                     ORDER BY p.id
                     LIMIT %(limit)s
                    """,
                    key=key,
                    risk=company.loyalty_tier_risk_days,
                    day=day,
                    limit=batch_size,
                )
            )
            if not rows:
                return
            self.env.execute_query(
                SQL(
                    """
                    UPDATE res_partner p
                       SET loyalty_tier_risk_warned_for =
                           COALESCE(p.loyalty_tier_risk_warned_for, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, w.renewed_on)
                      FROM unnest(%(ids)s::int[], %(days)s::date[])
                           AS w(id, renewed_on)
                     WHERE p.id = w.id
                    """,
                    key=key,
                    ids=[row[0] for row in rows],
                    days=[row[2] for row in rows],
                )
            )
            Partner.invalidate_model(["loyalty_tier_risk_warned_for"])
            tiers = self.browse({row[1] for row in rows})
            by_id = {tier.id: tier for tier in tiers}
            partners = Partner.browse([row[0] for row in rows])
            for partner, (_pid, tier_id, renewed_on) in zip(
                partners, rows, strict=True
            ):
                tier = by_id[tier_id]
                partner._loyalty_notify(
                    "tier_at_risk",
                    self.env["loyalty.transaction"],
                    partner=partner,
                    tier=tier,
                    deadline=tier._loyalty_keep_deadline(renewed_on),
                )
            self._loyalty_commit()

    @api.model
    def _loyalty_commit(self):
        if not modules.module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _loyalty_active_partner_ids(self, company, since, after_id, limit):
        """Members of ``company`` (ids above ``after_id``, in id order) with
        points or a ledger movement since ``since``, or a sale since then."""
        for model in ("loyalty.transaction", "pos.order", "account.move"):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id FROM (
                    SELECT l.partner_id FROM loyalty_transaction l
                     WHERE l.company_id = %(company)s AND l.date >= %(since)s
                       AND l.kind = 'points' AND l.amount > 0
                    UNION
                    SELECT p.commercial_partner_id FROM pos_order o
                      JOIN res_partner p ON p.id = o.partner_id
                     WHERE o.company_id = %(company)s AND o.date_order >= %(since)s
                       AND o.state IN %(states)s
                    UNION
                    SELECT m.commercial_partner_id FROM account_move m
                     WHERE m.company_id = %(company)s AND m.state = 'posted'
                       AND m.move_type = 'out_invoice'
                       AND COALESCE(m.invoice_date, m.date) >= %(since)s
                ) active
                 WHERE partner_id > %(after_id)s
                 ORDER BY partner_id
                 LIMIT %(limit)s
                """,
                company=company.id,
                since=since,
                states=POS_SOLD_STATES,
                after_id=after_id,
                limit=limit,
            )
        )
        return [row[0] for row in rows]

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
    def _loyalty_review_lapsed(self, company, partner_ids, day):
        """Downgrade ``partner_ids``, whose tier lapsed, to the best lower tier
        they qualify for and keep on ``day`` (or to none)."""
        current = self._loyalty_current_tiers(company, partner_ids)
        ceilings = {pid: tier.sequence for pid, tier in current.items()}
        qualified = self._loyalty_qualified(company, ceilings, day, retained=True)
        reasons = {
            tier.id: tier._loyalty_downgrade_reason() for tier in set(current.values())
        }
        changes = []
        for partner_id, old_tier in current.items():
            new_tier_id, kept_on = qualified.get(partner_id, (False, None))
            changes.append(
                {
                    "partner_id": partner_id,
                    "old_tier_id": old_tier.id,
                    "new_tier_id": new_tier_id,
                    "renewed_on": kept_on or day,
                    "kind": "down",
                    "cause": "lapsed",
                    "reason": reasons[old_tier.id],
                }
            )
        self.env["res.partner"]._loyalty_tier_change(company, changes)
