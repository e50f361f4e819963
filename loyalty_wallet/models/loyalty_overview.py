# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

ACTIVE_DAYS = 90
EXPIRING_DAYS = 30
TREND_MONTHS = 6
TOP_MEMBERS = 10


class LoyaltyOverview(models.AbstractModel):
    """The figures of the owner's overview (the ``loyalty_wallet.overview``
    client action): each one computed by one set-based query over the ledger,
    each one with the domain of the records behind it.

    ``loyalty_tier`` and ``loyalty_sms`` add their figures by extending
    :meth:`_loyalty_overview_sections`.
    """

    _name = "loyalty.overview"
    _description = "Loyalty Club Overview"

    @api.model
    def get_loyalty_overview(self):
        """RPC of the overview screen: the figures of the current company."""
        if not self.env.user.has_group("loyalty_wallet.group_loyalty_manager"):
            raise AccessError(self.env._("Only Loyalty Managers see the overview."))
        company = self.env.company
        today = fields.Date.context_today(self)
        figures = self._loyalty_overview_sections(company, today)
        # Keys starting with "_" pass figures between the addons' sections.
        return {key: value for key, value in figures.items() if key[0] != "_"}

    @api.model
    def _loyalty_overview_sections(self, company, today):
        self.env.flush_all()
        month_start = today.replace(day=1)
        figures = {
            "currency": {
                "symbol": company.currency_id.symbol,
                "position": company.currency_id.position,
                "digits": company.currency_id.decimal_places,
            },
            "today": fields.Date.to_string(today),
        }
        figures.update(self._loyalty_outstanding(company))
        figures["months"] = self._loyalty_monthly(company, month_start)
        figures["month"] = figures["months"][-1]
        figures.update(self._loyalty_redemption(figures["months"]))
        figures["active_members"] = self._loyalty_active_members(company, today)
        figures["expiring"] = self._loyalty_expiring(company, today)
        figures["top_members"] = self._loyalty_top_members(company)
        figures["tiers"] = []  # loyalty_tier
        figures["sms"] = False  # loyalty_sms
        return figures

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_outstanding(self, company):
        """What the club owes: credit and points held, and their value."""
        # The folded monthly figures plus the movements since: neither a
        # scan of the ledger nor of every member's balance row.
        held = self.env["loyalty.overview.month"]._loyalty_held(company)
        wallet, points = held.get("wallet", 0.0), held.get("points", 0.0)
        groups = self._loyalty_member_groups(company)
        return {
            "credit_outstanding": wallet,
            "points_outstanding": points,
            "points_value": company.currency_id.round(
                points * company.loyalty_point_value
            ),
            "liability": company.currency_id.round(
                wallet + points * company.loyalty_point_value
            ),
            "members": sum(groups.values()),
            "_member_groups": groups,
            "domains": {
                "members": [("loyalty_member", "=", True)],
            },
        }

    @api.model
    def _loyalty_member_groups(self, company):
        """``{group: count}`` of the company's members, in one scan of the
        partners reading the company's key of the company-dependent columns:
        grouped by ``_loyalty_member_group_sql`` (``loyalty_tier`` groups
        them by tier, so that the count and the tiers cost one scan)."""
        key = str(company.id)
        return dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT %(group)s, COUNT(*) FROM res_partner
                     WHERE active AND (loyalty_member ->> %(key)s)::boolean
                  GROUP BY 1
                    """,
                    group=self._loyalty_member_group_sql(company),
                    key=key,
                )
            )
        )

    @api.model
    def _loyalty_member_group_sql(self, company):
        return SQL("NULL::int")

    @api.model
    def _loyalty_monthly(self, company, month_start):
        """Wallet credit and points earned (grants, bonuses, adjustments up,
        less what returns took back), spent (spending and conversions, less
        what returns gave back) and expired per month, for the last
        ``TREND_MONTHS`` months, oldest first.

        A reversal taking credit back (negative) undoes an earning, one
        giving it back (positive) undoes a spending, whatever the return
        routine nets into it. Read from the stored monthly figures plus the
        movements since their last fold (``loyalty.overview.month``): never a
        scan of months of ledger.
        """
        first = month_start - relativedelta(months=TREND_MONTHS - 1)
        by_month = self.env["loyalty.overview.month"]._loyalty_figures_since(
            company, first
        )
        months = []
        for index in range(TREND_MONTHS):
            start = first + relativedelta(months=index)
            end = start + relativedelta(months=1)
            month = {
                "label": start.strftime("%Y-%m"),
                "domain": [
                    ("date", ">=", fields.Date.to_string(start)),
                    ("date", "<", fields.Date.to_string(end)),
                ],
            }
            for kind in ("wallet", "points"):
                row = by_month.get((start, kind), {})
                for figure in ("earned", "spent", "expired"):
                    month[f"{kind}_{figure}"] = float(row.get(figure) or 0.0)
            months.append(month)
        return months

    @api.model
    def _loyalty_redemption(self, months):
        """Share of the wallet credit earned over the trend period that was
        spent over the same period."""
        earned = sum(month["wallet_earned"] for month in months)
        spent = sum(month["wallet_spent"] for month in months)
        return {"redemption_rate": round(100.0 * spent / earned, 1) if earned else 0.0}

    @api.model
    def _loyalty_active_members(self, company, today):
        """Members who bought (a paid POS order or a posted customer invoice)
        in the last ``ACTIVE_DAYS`` days."""
        since = today - timedelta(days=ACTIVE_DAYS)
        [(count,)] = self.env.execute_query(
            SQL(
                """
                -- The buyers of the period are read along the orders' and
                -- invoices' date indexes, then looked up by id (ANY of an
                -- array: index probes, not a hash join over every partner).
                SELECT COUNT(*) FROM res_partner c
                 WHERE c.id = ANY(ARRAY(
                        SELECT DISTINCT p.commercial_partner_id FROM res_partner p
                         WHERE p.id = ANY(ARRAY(
                            SELECT partner_id FROM pos_order
                             WHERE company_id = %(company)s
                               AND date_order >= %(since)s
                               AND state IN ('paid', 'done', 'invoiced')
                               AND partner_id IS NOT NULL
                         UNION
                            SELECT partner_id FROM account_move
                             WHERE company_id = %(company)s AND date >= %(since)s
                               AND move_type = 'out_invoice' AND state = 'posted'
                               AND partner_id IS NOT NULL))))
                   -- membership is per company (a company-dependent column)
                   AND (c.loyalty_member ->> %(key)s)::boolean
                """,
                company=company.id,
                key=str(company.id),
                since=since,
            )
        )
        return {
            "count": count,
            "domain": [
                ("loyalty_member", "=", True),
                "|",
                ("pos_order_ids.date_order", ">=", fields.Date.to_string(since)),
                "&",
                ("invoice_ids.move_type", "=", "out_invoice"),
                ("invoice_ids.date", ">=", fields.Date.to_string(since)),
            ],
        }

    @api.model
    def _loyalty_expiring(self, company, today):
        """What remains of the lots expiring in the next ``EXPIRING_DAYS``."""
        until = today + timedelta(days=EXPIRING_DAYS)
        [(wallet, points, members)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(remaining) FILTER (WHERE kind = 'wallet'), 0),
                       COALESCE(SUM(remaining) FILTER (WHERE kind = 'points'), 0),
                       COUNT(DISTINCT partner_id)
                  FROM loyalty_transaction
                 WHERE company_id = %s AND remaining > 0
                   AND expiration_date >= %s AND expiration_date <= %s
                """,
                company.id,
                today,
                until,
            )
        )
        return {
            "wallet": wallet,
            "points": points,
            "members": members,
            "domain": [
                ("remaining", ">", 0),
                ("expiration_date", ">=", fields.Date.to_string(today)),
                ("expiration_date", "<=", fields.Date.to_string(until)),
            ],
        }

    @api.model
    def _loyalty_top_members(self, company):
        """The members holding the most wallet credit (their balance rows,
        read through the ranking index)."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT b.partner_id, p.name, b.balance
                  FROM loyalty_balance b
                  JOIN res_partner p ON p.id = b.partner_id
                 WHERE b.company_id = %s AND b.kind = 'wallet' AND b.balance > 0
              ORDER BY b.balance DESC
                 LIMIT %s
                """,
                company.id,
                TOP_MEMBERS,
            )
        )
        return [
            {"id": partner_id, "name": name, "credit": credit}
            for partner_id, name, credit in rows
        ]
