# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL, format_amount


class LoyaltyReconciliation(models.TransientModel):
    """The ledger against the books, for one company at the end of one day:
    what the customers hold (wallet credit, plus points at their value when
    points are booked) against the balance of the wallet liability account,
    and what they owe (the debts of late orders) against the debts
    receivable. Movements not booked yet explain part of a difference; the
    rest is "unexplained" and must be looked at."""

    _name = "loyalty.reconciliation"
    _description = "Loyalty Ledger Reconciliation"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    ledger_wallet = fields.Monetary(
        string="Wallet Credit Held", compute="_compute_figures"
    )
    ledger_points = fields.Float(
        string="Points Held", digits="Loyalty Points", compute="_compute_figures"
    )
    ledger_debts = fields.Monetary(
        string="Owed by Customers",
        compute="_compute_figures",
        help="The open debts of late orders (credit spent that the customer no "
        "longer held), points at their value when points are booked.",
    )
    ledger_total = fields.Monetary(
        string="Owed to Customers",
        compute="_compute_figures",
        help="Wallet credit, plus points at their value when points are booked. "
        "With a debts account, a customer in debt holds nothing here: the debt "
        "is on the debts receivable.",
    )
    account_balance = fields.Monetary(
        string="Liability Account Balance", compute="_compute_figures"
    )
    difference = fields.Monetary(compute="_compute_figures")
    unbooked_count = fields.Integer(
        string="Movements Not Booked", compute="_compute_figures"
    )
    unbooked_amount = fields.Monetary(
        string="Not Booked Yet", compute="_compute_figures"
    )
    unexplained = fields.Monetary(
        string="Unexplained Difference",
        compute="_compute_figures",
        help="The difference that movements awaiting their booking do not "
        "explain: a booking was removed or an entry was edited by hand.",
    )
    debt_account_balance = fields.Monetary(
        string="Debts Account Balance", compute="_compute_figures"
    )
    debt_difference = fields.Monetary(
        string="Debts Difference", compute="_compute_figures"
    )
    debt_unexplained = fields.Monetary(
        string="Unexplained Debts Difference",
        compute="_compute_figures",
        help="The difference between the open debts and the debts account "
        "that movements awaiting their booking do not explain.",
    )

    @api.depends("company_id", "date")
    def _compute_figures(self):
        for report in self:
            figures = report._loyalty_figures(report.company_id, report.date)
            for name, value in figures.items():
                report[name] = value

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_unbooked(self):
        self.ensure_one()
        until = self._loyalty_day_end(self.company_id, self.date)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loyalty_wallet.action_loyalty_transaction"
        )
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            ("kind", "in", list(self.company_id._loyalty_booked_kinds())),
            ("date", "<", fields.Datetime.to_string(until)),
            "|",
            ("booking_ids", "=", False),
            ("booking_ids.date", ">", self.date),
        ]
        action["context"] = {}
        return action

    def action_open_liability_items(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Wallet Liability"),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [
                ("company_id", "=", self.company_id.id),
                ("account_id", "=", self.company_id.loyalty_wallet_account_id.id),
                ("parent_state", "=", "posted"),
                ("date", "<=", self.date),
            ],
        }

    # ------------------------------------------------------------------
    # Figures (set-based: they run over millions of movements)
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_day_end(self, company, date):
        """The UTC instant at which ``date`` ends for the shop."""
        tz = pytz.timezone(self.env.context.get("tz") or company.partner_id.tz or "UTC")
        local = tz.localize(datetime.combine(date + timedelta(days=1), time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _loyalty_figures(self, company, date):
        """The reconciliation of ``company`` at the end of ``date``, as a dict
        of this model's figure fields."""
        self.env.flush_all()
        until = self._loyalty_day_end(company, date)
        kinds = company._loyalty_booked_kinds()
        debt = self.env["loyalty.booking"]._loyalty_debt_change_sql("t")
        [row] = self.env.execute_query_dict(
            SQL(
                """
                SELECT COALESCE(SUM(t.amount) FILTER (WHERE t.kind = 'wallet'), 0)
                       AS wallet,
                       COALESCE(SUM(t.amount) FILTER (WHERE t.kind = 'points'), 0)
                       AS points,
                       COALESCE(SUM(%(debt)s) FILTER (WHERE t.kind = 'wallet'), 0)
                       AS wallet_debts,
                       COALESCE(SUM(%(debt)s) FILTER (WHERE t.kind = 'points'), 0)
                       AS points_debts,
                       COALESCE(SUM(t.amount) FILTER (
                           WHERE t.kind = 'wallet' AND u.unbooked), 0)
                       AS unbooked_wallet,
                       COALESCE(SUM(t.amount) FILTER (
                           WHERE t.kind = 'points' AND u.unbooked), 0)
                       AS unbooked_points,
                       COALESCE(SUM(%(debt)s) FILTER (
                           WHERE t.kind = 'wallet' AND u.unbooked), 0)
                       AS unbooked_wallet_debts,
                       COALESCE(SUM(%(debt)s) FILTER (
                           WHERE t.kind = 'points' AND u.unbooked), 0)
                       AS unbooked_points_debts,
                       COUNT(*) FILTER (WHERE u.unbooked AND t.kind IN %(kinds)s)
                       AS unbooked_count
                  FROM loyalty_transaction t,
               LATERAL (SELECT NOT EXISTS (
                           SELECT 1 FROM loyalty_booking_transaction_rel r
                             JOIN loyalty_booking b ON b.id = r.booking_id
                            WHERE r.transaction_id = t.id AND b.date <= %(date)s)
                        AS unbooked) u
                 WHERE t.company_id = %(company)s AND t.date < %(until)s
                """,
                debt=debt,
                kinds=kinds,
                date=date,
                company=company.id,
                until=until,
            )
        )
        currency = company.currency_id

        def value(figure):
            """Booked value of the wallet ``figure`` and, when points are
            booked, of its points counterpart."""
            total = company._loyalty_booking_value(
                "wallet", row[figure.format(kind="wallet")]
            )
            if "points" in kinds:
                total += company._loyalty_booking_value(
                    "points", row[figure.format(kind="points")]
                )
            return currency.round(total)

        # With a debts account, debts are moved out of the liability: it
        # holds the credit of the customers not in debt, i.e. the net
        # balances plus the debts.
        debts_booked = bool(company.loyalty_debt_account_id)
        debts = value("{kind}_debts")
        unbooked_debts = value("unbooked_{kind}_debts") if debts_booked else 0.0
        if debts_booked and not self.env["loyalty.booking"].sudo().search_count(
            [
                ("company_id", "=", company.id),
                ("debt_opening", "=", True),
                ("date", "<=", date),
            ],
            limit=1,
        ):
            # The account was set since: the next booking moves every debt
            # open then (booked or not) to it (the debts opening).
            unbooked_debts = debts
        total = currency.round(value("{kind}") + (debts if debts_booked else 0.0))
        unbooked = currency.round(value("unbooked_{kind}") + unbooked_debts)
        account_balance = -self._loyalty_account_balance(
            company, date, company.loyalty_wallet_account_id
        )
        difference = currency.round(total - account_balance)
        debt_account_balance = self._loyalty_account_balance(
            company, date, company.loyalty_debt_account_id
        )
        debt_difference = currency.round(
            (debts if debts_booked else 0.0) - debt_account_balance
        )
        return {
            "ledger_wallet": row["wallet"],
            "ledger_points": row["points"],
            "ledger_debts": debts,
            "ledger_total": total,
            "account_balance": account_balance,
            "difference": difference,
            "unbooked_count": row["unbooked_count"],
            "unbooked_amount": unbooked,
            "unexplained": currency.round(difference - unbooked),
            "debt_account_balance": debt_account_balance,
            "debt_difference": debt_difference,
            "debt_unexplained": currency.round(debt_difference - unbooked_debts),
        }

    @api.model
    def _loyalty_account_balance(self, company, date, account):
        """Debit minus credit of the posted items of ``account`` up to
        ``date`` (negative for the wallet liability: the company owes)."""
        if not account:
            return 0.0
        [(balance,)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(balance), 0) FROM account_move_line
                 WHERE account_id = %s AND company_id = %s
                   AND parent_state = 'posted' AND date <= %s
                """,
                account.id,
                company.id,
                date,
            )
        )
        return balance

    # ------------------------------------------------------------------
    # The nightly check
    # ------------------------------------------------------------------

    @api.model
    def _cron_loyalty_check_books(self):
        """Nightly: tell each company's Loyalty Managers when the books and
        the ledger differ by more than the movements awaiting their booking."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search(
            [("loyalty_wallet_account_id", "!=", False)]
        )
        for company in companies:
            if not company._loyalty_accounting_ready():
                continue
            figures = self._loyalty_figures(company, today)
            if not (
                company.currency_id.is_zero(figures["unexplained"])
                and company.currency_id.is_zero(figures["debt_unexplained"])
            ):
                self._loyalty_notify_managers(company, today, figures)

    @api.model
    def _loyalty_notify_managers(self, company, date, figures):
        managers = self.env["res.users"].search(
            [
                (
                    "all_group_ids",
                    "in",
                    self.env.ref("loyalty_wallet.group_loyalty_manager").ids,
                ),
                ("company_ids", "in", company.ids),
                ("share", "=", False),
            ]
        )
        if not managers:
            return

        def money(amount):
            return format_amount(self.env, amount, company.currency_id)

        body = self.env._(
            "On %(date)s the wallet liability account of %(company)s shows "
            "%(booked)s while customers hold %(held)s; %(pending)s of it awaits "
            "booking, %(unexplained)s is unexplained. Open Loyalty > Reporting > "
            "Books vs Ledger to see the movements.",
            date=fields.Date.to_string(date),
            company=company.name,
            booked=money(figures["account_balance"]),
            held=money(figures["ledger_total"]),
            pending=money(figures["unbooked_amount"]),
            unexplained=money(figures["unexplained"]),
        )
        if not company.currency_id.is_zero(figures["debt_unexplained"]):
            body += " " + self.env._(
                "The debts account shows %(booked)s while customers owe "
                "%(owed)s (%(unexplained)s unexplained).",
                booked=money(figures["debt_account_balance"]),
                owed=money(figures["ledger_debts"]),
                unexplained=money(figures["debt_unexplained"]),
            )
        self.env["mail.thread"].message_notify(
            partner_ids=managers.partner_id.ids,
            subject=self.env._("Loyalty books differ from the ledger"),
            body=body,
        )
