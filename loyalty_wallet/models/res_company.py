# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from datetime import date as date_type
from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_round

# The words of a debts account's name, all of them (a group in a tuple):
# "debt" alone is the trade receivable in UK/AU charts ("Trade Debtors").
DEBT_ACCOUNT_WORDS = (("loyalty", "debt"),)


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_cashback_active = fields.Boolean(string="Cashback")
    # Stored on the company, which every request reads anyway: the shop's day
    # is needed at every POS order, and reading the contact's time zone would
    # fetch the whole contact.
    loyalty_tz = fields.Selection(
        related="partner_id.tz",
        store=True,
        string="Shop Time Zone",
        help="The time zone of the company's address: the club's days (campaign "
        "windows, lot validity, the nightly expiry) are the shop's days.",
    )
    loyalty_cashback_type = fields.Selection(
        [("percent", "Percentage of the order"), ("fixed", "Fixed amount per order")],
        string="Cashback Type",
        default="percent",
        required=True,
    )
    loyalty_cashback_value = fields.Float(
        string="Cashback Value",
        digits="Loyalty Points",
        help="Percentage of the order (e.g. 10 for 10 %), or the fixed amount "
        "credited per order, depending on the cashback type.",
    )
    loyalty_cashback_min_amount = fields.Monetary(
        string="Cashback Minimum Order",
        currency_field="currency_id",
        help="Orders below this amount earn no base cashback.",
    )
    loyalty_cashback_max_amount = fields.Monetary(
        string="Cashback Cap per Order",
        currency_field="currency_id",
        help="Most cashback one order can earn at the base rate; 0 means no cap.",
    )
    loyalty_cashback_exclude_loyalty_payments = fields.Boolean(
        string="No Cashback on Wallet/Points Payments",
        default=True,
        help="When set, the part of an order paid with wallet credit or points "
        "earns neither cashback nor points.",
    )
    loyalty_refund_to_wallet_only = fields.Boolean(
        string="Refund Wallet and Points Payments to the Wallet Only",
        default=True,
        help="The part of an order paid with wallet credit or points goes back "
        "to the wallet or points when the order is returned, never in cash or "
        "by card (otherwise cashback could be turned into money). Untick to "
        "let the cashier refund it with any payment method.",
    )
    loyalty_points_active = fields.Boolean(string="Points")
    loyalty_points_step_amount = fields.Monetary(
        string="Points Step Amount",
        currency_field="currency_id",
        default=1.0,
        help="Every full step of this amount earns the points below "
        "(e.g. 1 point per 20,000).",
    )
    loyalty_points_per_step = fields.Float(
        string="Points per Step", digits="Loyalty Points"
    )
    loyalty_points_per_order = fields.Float(
        string="Points per Order", digits="Loyalty Points"
    )
    loyalty_points_signup = fields.Float(
        string="Points on Signup",
        digits="Loyalty Points",
        help="Given once, when the customer joins the club.",
    )
    loyalty_points_validity_days = fields.Integer(
        string="Points Validity (days)", help="0 means points never expire."
    )
    loyalty_wallet_validity_days = fields.Integer(
        string="Wallet Credit Validity (days)",
        help="0 means wallet credit never expires.",
    )
    loyalty_pending_days = fields.Integer(
        string="Credit Becomes Available After (days)",
        help="Cashback and points earned by a sale wait this many days, counted "
        "from the sale's date, before they can be spent: a return inside this "
        "window simply cancels them. 0 makes them available at once.",
    )
    loyalty_expiry_reminder_days = fields.Integer(
        string="Expiry Reminder (days before)",
        default=7,
        help="Customers are reminded this many days before credit or points "
        "expire; 0 sends no reminder.",
    )
    loyalty_irr_display_unit = fields.Selection(
        [("rial", "Rial"), ("toman", "Toman")],
        string="Amounts Shown In",
        default="rial",
        required=True,
        help="Odoo's IRR is the rial; Iranian shops usually count in toman "
        "(1 toman = 10 rials). SMS, receipts and the portal show the club's "
        "amounts in this unit.",
    )
    loyalty_point_value = fields.Monetary(
        string="Value of One Point",
        currency_field="currency_id",
        default=1.0,
        help="What one point is worth when the customer pays with points.",
    )
    loyalty_auto_enroll = fields.Boolean(
        string="Enrol Customers Automatically",
        default=True,
        help="The customer of a paid POS order or posted invoice joins the club.",
    )
    loyalty_wallet_account_id = fields.Many2one(
        "account.account",
        string="Customer Wallet Account",
        check_company=True,
        ondelete="restrict",
        domain="[('account_type', 'in', "
        "('liability_current', 'liability_non_current'))]",
        help="Liability account of the wallet credit and points owed to customers: "
        "POS payments with wallet or points are booked against it, and so is the "
        "cashback granted by the sales of each closed POS session.",
    )
    loyalty_cashback_expense_account_id = fields.Many2one(
        "account.account",
        string="Cashback Expense Account",
        check_company=True,
        ondelete="restrict",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="Expense of the cashback, bonuses and manual credit granted (and of "
        "points, at their value, when they are booked), against the customer "
        "wallet account.",
    )
    loyalty_expired_income_account_id = fields.Many2one(
        "account.account",
        string="Expired Credit Income Account",
        check_company=True,
        ondelete="restrict",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income (breakage) booked when credit expires unused: the wallet "
        "liability is released against it.",
    )
    loyalty_debt_account_id = fields.Many2one(
        "account.account",
        string="Loyalty Debts Account",
        check_company=True,
        ondelete="restrict",
        domain="[('account_type', 'in', ('asset_receivable', 'asset_current'))]",
        help="Where the customers' debts are held (an asset of the shop): what "
        "a late order paid from "
        "wallet credit or points the customer no longer held. The debt is "
        "moved from the wallet liability to this account, and back as the "
        "customer's next credit settles it. Empty: debts stay in the wallet "
        "liability (as negative balances).",
    )
    loyalty_journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        ondelete="restrict",
        domain="[('type', '=', 'general')]",
        help="Miscellaneous journal of the daily entries that book the ledger's "
        "movements not booked by a POS session (invoices, bonuses, adjustments, "
        "expiries, conversions).",
    )
    loyalty_book_points = fields.Boolean(
        string="Book Points at Their Value",
        help="When set, points are a liability too: earned, spent and expired "
        "points are booked at the value of one point. Otherwise points reach the "
        "books only when they are paid with (as an expense).",
    )
    loyalty_setup_stamp = fields.Char(
        readonly=True,
        copy=False,
        help="Changes, in every company, whenever the club's campaigns or SMS "
        "rules change: what every sale asks about them is cached under it.",
    )

    @api.constrains(
        "loyalty_cashback_type",
        "loyalty_cashback_value",
        "loyalty_cashback_min_amount",
        "loyalty_cashback_max_amount",
        "loyalty_points_active",
        "loyalty_points_step_amount",
        "loyalty_points_per_step",
        "loyalty_points_per_order",
        "loyalty_points_signup",
        "loyalty_points_validity_days",
        "loyalty_wallet_validity_days",
        "loyalty_expiry_reminder_days",
        "loyalty_point_value",
    )
    def _check_loyalty_settings(self):
        for company in self:
            if (
                company.loyalty_cashback_type == "percent"
                and not 0 <= company.loyalty_cashback_value <= 100
            ):
                raise ValidationError(
                    self.env._("The cashback percentage must be between 0 and 100.")
                )
            if (
                company.loyalty_points_active
                and company.loyalty_points_step_amount <= 0
            ):
                raise ValidationError(
                    self.env._("The points step amount must be greater than zero.")
                )
            if company.loyalty_point_value <= 0:
                raise ValidationError(
                    self.env._("The value of one point must be greater than zero.")
                )
            numbers = (
                company.loyalty_cashback_value,
                company.loyalty_cashback_min_amount,
                company.loyalty_cashback_max_amount,
                company.loyalty_points_per_step,
                company.loyalty_points_per_order,
                company.loyalty_points_signup,
                company.loyalty_points_validity_days,
                company.loyalty_wallet_validity_days,
                company.loyalty_expiry_reminder_days,
            )
            if any(number < 0 for number in numbers):
                raise ValidationError(
                    self.env._("Loyalty amounts, points and days cannot be negative.")
                )

    @api.constrains(
        "loyalty_pending_days",
        "loyalty_wallet_validity_days",
        "loyalty_points_validity_days",
    )
    def _check_loyalty_pending_days(self):
        for company in self:
            days = company.loyalty_pending_days
            if days < 0:
                raise ValidationError(
                    self.env._(
                        "The days before credit becomes available cannot be negative."
                    )
                )
            validities = (
                company.loyalty_wallet_validity_days,
                company.loyalty_points_validity_days,
            )
            # Credit that expires before it may be spent would be lost unseen.
            if days and any(0 < validity <= days for validity in validities):
                raise ValidationError(
                    self.env._(
                        "Credit must stay valid longer than the %s days it waits "
                        "before becoming available.",
                        days,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "loyalty_wallet_account_id" in vals:
            self.env["pos.payment.method"].search(
                [("company_id", "in", self.ids), ("loyalty_payment", "!=", False)]
            )._loyalty_use_wallet_account()
        return res

    @api.model
    def _load_pos_data_fields(self, config):
        # The till proposes a refund's wallet/points share with the setting
        # the server will enforce on it; the unit lets it show club amounts
        # as SMS and portal do.
        return [
            *super()._load_pos_data_fields(config),
            "loyalty_point_value",
            "loyalty_refund_to_wallet_only",
            "loyalty_irr_display_unit",
        ]

    # ------------------------------------------------------------------
    # Accounting of the ledger
    # ------------------------------------------------------------------

    def _loyalty_accounting_ready(self):
        """True when the ledger's movements are booked for this company."""
        self.ensure_one()
        return bool(
            self.loyalty_wallet_account_id
            and self.loyalty_cashback_expense_account_id
            and self.loyalty_expired_income_account_id
            and self.loyalty_journal_id
        )

    def _loyalty_booked_kinds(self):
        """The kinds of movement that reach the books."""
        self.ensure_one()
        return ("wallet", "points") if self.loyalty_book_points else ("wallet",)

    def _loyalty_booking_value(self, kind, amount):
        """Company-currency value at which ``amount`` of ``kind`` is booked."""
        self.ensure_one()
        if kind == "points":
            amount *= self.loyalty_point_value
        return self.currency_id.round(amount)

    def _loyalty_booking_counterpart(self, operation):
        """The account a movement of ``operation`` is booked against (the
        wallet liability being the other side), or False when the movement is
        booked by something else (a POS payment books spending).

        ``operation`` is the operation of the movement, or for a reversal the
        operation it reverses. Addons with movements of their own (coupon
        conversion) extend this; an unknown operation is a grant or a take-back
        of credit, hence the cashback expense.
        """
        self.ensure_one()
        if operation == "expire":
            return self.loyalty_expired_income_account_id
        if operation == "spend":
            return False
        return self.loyalty_cashback_expense_account_id

    def _loyalty_propose_accounts(self):
        """Fill the loyalty accounts and journal not set yet with the chart's
        accounts of the right type (an account named like the purpose first),
        creating them next to the chart's codes when the chart has none."""
        for company in self:
            vals = {}
            for field, account_type, words, name in company._loyalty_account_slots():
                if not company[field]:
                    vals[field] = company._loyalty_find_or_create_account(
                        account_type, words, name
                    ).id
            if not company.loyalty_journal_id:
                Journal = self.env["account.journal"]
                vals["loyalty_journal_id"] = Journal.search(
                    Domain(Journal._check_company_domain(company))
                    & Domain("type", "=", "general"),
                    order="sequence, id",
                    limit=1,
                ).id
            company.write({key: value for key, value in vals.items() if value})

    def _loyalty_account_slots(self):
        return [
            (
                "loyalty_wallet_account_id",
                "liability_current",
                ("wallet", "loyalty"),
                self.env._("Customer Loyalty Wallet"),
            ),
            (
                "loyalty_cashback_expense_account_id",
                "expense",
                ("cashback", "loyalty"),
                self.env._("Loyalty Cashback Expense"),
            ),
            (
                "loyalty_expired_income_account_id",
                "income_other",
                ("expired", "breakage"),
                self.env._("Expired Loyalty Credit"),
            ),
            # A current asset, not a receivable: the job books the debts in
            # one line without a partner, which on a receivable would show in
            # the aged receivable and the follow-ups as an unknown debtor.
            # Only an account named for loyalty debts is taken: "debt" alone
            # is the trade receivable in UK/AU charts ("Trade Debtors").
            (
                "loyalty_debt_account_id",
                "asset_current",
                DEBT_ACCOUNT_WORDS,
                self.env._("Customer Loyalty Debts"),
            ),
        ]

    def _loyalty_find_or_create_account(self, account_type, words, name):
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        domain = Domain(Account._check_company_domain(self)) & Domain(
            "account_type", "=", account_type
        )
        for word in words:
            # a tuple of words: the name holds them all
            name_domain = Domain.AND(
                Domain("name", "ilike", part)
                for part in (word if isinstance(word, tuple) else (word,))
            )
            account = Account.search(domain & name_domain, limit=1)
            if account:
                return account
        sibling = Account.search(domain, order="code", limit=1)
        if not sibling:
            return Account
        return Account.create(
            {
                "name": name,
                "code": Account._search_new_account_code(sibling.code),
                "account_type": account_type,
            }
        )

    # ------------------------------------------------------------------
    # Earning rules
    # ------------------------------------------------------------------

    def _loyalty_is_enabled(self):
        self.ensure_one()
        return self.loyalty_cashback_active or self.loyalty_points_active

    def _loyalty_tz(self):
        """The shop's time zone: the company address's, else the user's."""
        self.ensure_one()
        name = self.loyalty_tz or self.env.context.get("tz") or self.env.user.tz
        try:
            return pytz.timezone(name or "UTC")
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    # Campaigns and SMS rules change a few times a year and every paid order
    # asks about them: the answers are cached per registry, under the stamp
    # the sale reads in its own transaction. A sale whose snapshot predates a
    # change reads the old stamp and keeps its answer under it; every later
    # transaction reads the new stamp. (Clearing the cache at the change
    # instead let such a sale put the old answer back for everyone.) A
    # random stamp: a rolled-back change never comes back with another one.
    @api.model
    def _loyalty_setup_changed(self):
        """Campaigns or SMS rules changed: give every company a new stamp."""
        self.env.execute_query(
            SQL("UPDATE res_company SET loyalty_setup_stamp = gen_random_uuid()::text")
        )
        self.invalidate_model(["loyalty_setup_stamp"])

    @api.model
    def _loyalty_setup_key(self):
        """The stamp that keys the cached answers about the club's setup."""
        # sudo: the stamp is no secret; any user's sale reads it.
        return self.env.company.sudo().loyalty_setup_stamp or ""

    def _loyalty_local_date(self, value=None):
        """The shop's calendar day of ``value`` (a UTC datetime as Odoo stores
        it, a date, or None for now): campaign windows, lot validity,
        enrolment dates and expiry all count in the shop's days, so a sale at
        20:00 in New York is on that day, not on the next UTC day."""
        self.ensure_one()
        if not value:
            moment = fields.Datetime.now()
        elif isinstance(value, datetime):
            moment = value
        elif isinstance(value, date_type):
            return value
        elif len(value) <= 10:  # a date string: already a day
            return fields.Date.to_date(value)
        else:
            moment = fields.Datetime.to_datetime(value)
        return pytz.utc.localize(moment).astimezone(self._loyalty_tz()).date()

    def _loyalty_round(self, kind, amount):
        """Round ``amount`` the way the ledger stores it for ``kind``."""
        self.ensure_one()
        if kind == "wallet":
            return self.currency_id.round(amount)
        digits = self.env["decimal.precision"].precision_get("Loyalty Points")
        return float_round(amount, precision_digits=digits)

    def _loyalty_expiration_date(self, kind, date):
        """Expiry of a lot earned on ``date`` (a date or datetime), or False."""
        self.ensure_one()
        days = (
            self.loyalty_wallet_validity_days
            if kind == "wallet"
            else self.loyalty_points_validity_days
        )
        if not days:
            return False
        return self._loyalty_local_date(date) + timedelta(days=days)

    def _loyalty_available_date(self, date):
        """The day from which credit earned by a sale on ``date`` (a date or
        datetime) may be spent, or False when it is available at once: the
        shop's day of the sale plus ``loyalty_pending_days`` (a sale on 1 March
        with 14 days is spendable from 15 March)."""
        self.ensure_one()
        if not self.loyalty_pending_days:
            return False
        return self._loyalty_local_date(date) + timedelta(
            days=self.loyalty_pending_days
        )

    def _loyalty_cashback_offers(self, partner, date):
        """Every cashback offer that applies to ``partner`` on ``date``.

        An offer is a dict with ``label``, ``type`` (``percent`` | ``fixed``),
        ``value``, ``cap`` (0 = none) and ``min_amount``. The base rate and the
        running campaigns are offered here; other addons (tiers) extend this
        method. The ledger grants the single best offer, never a sum.
        """
        self.ensure_one()
        offers = []
        if self.loyalty_cashback_active and self.loyalty_cashback_value:
            offers.append(
                {
                    "label": self.env._("Base cashback"),
                    "ref": "base",
                    "type": self.loyalty_cashback_type,
                    "value": self.loyalty_cashback_value,
                    "cap": self.loyalty_cashback_max_amount,
                    "min_amount": self.loyalty_cashback_min_amount,
                }
            )
        if self.loyalty_cashback_active:
            campaigns = self.env["loyalty.campaign"]._loyalty_running(self, date)
            offers.extend(c._loyalty_cashback_offer() for c in campaigns)
        return offers

    def _loyalty_points_multipliers(self, partner, date):
        """Multipliers that apply to points earned by ``partner`` on ``date``;
        the best one is used. Tiers extend this method."""
        self.ensure_one()
        campaigns = self.env["loyalty.campaign"]._loyalty_running(self, date)
        return [c.points_multiplier for c in campaigns if c.points_multiplier > 0]

    def _loyalty_offer_amount(self, offer, base_amount):
        self.ensure_one()
        if base_amount <= 0 or base_amount < offer.get("min_amount", 0.0):
            return 0.0
        if offer["type"] == "fixed":
            amount = offer["value"]
        else:
            amount = base_amount * offer["value"] / 100.0
        if offer.get("cap"):
            amount = min(amount, offer["cap"])
        return self.currency_id.round(amount)

    def _loyalty_best_cashback(self, partner, base_amount, date):
        """Return ``(amount, offer)`` of the best cashback offer, or ``(0, None)``."""
        self.ensure_one()
        best_amount, best_offer = 0.0, None
        for offer in self._loyalty_cashback_offers(partner, date):
            amount = self._loyalty_offer_amount(offer, base_amount)
            if amount > best_amount:
                best_amount, best_offer = amount, offer
        return best_amount, best_offer

    def _loyalty_purchase_points(self, partner, base_amount, date):
        """Points earned by a purchase: ``floor(amount / step) * per_step`` plus
        the per-order points, times the best multiplier."""
        self.ensure_one()
        if not self.loyalty_points_active or base_amount <= 0:
            return 0.0
        # float_round first: 0.3 / 0.1 must count 3 steps, not 2.
        steps = math.floor(
            float_round(base_amount / self.loyalty_points_step_amount, 6)
        )
        points = steps * self.loyalty_points_per_step + self.loyalty_points_per_order
        multiplier = max([1.0, *self._loyalty_points_multipliers(partner, date)])
        return self._loyalty_round("points", points * multiplier)
