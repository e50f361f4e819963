# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_amount, formatLang


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_coupon_min_points = fields.Float(
        string="Minimum Points per Coupon",
        digits="Loyalty Points",
        default=100.0,
        help="A customer converts at least this many points at a time.",
    )
    loyalty_coupon_points_per_unit = fields.Float(
        string="Points per Currency Unit",
        digits="Loyalty Points",
        default=10.0,
        help="Points that buy one unit of currency of coupon value "
        "(10 means 120 points make a coupon worth 12.00).",
    )
    loyalty_coupon_validity_days = fields.Integer(
        string="Coupon Validity (days)",
        default=90,
        help="Days a coupon stays valid after its conversion; 0 means it "
        "never expires.",
    )
    loyalty_coupon_reminder_days = fields.Integer(
        string="Coupon Reminder (days before)",
        default=7,
        help="Customers are reminded this many days before a coupon expires; "
        "0 sends no reminder.",
    )
    loyalty_coupon_denominations = fields.Char(
        string="Coupon Denominations",
        help="Fixed coupon values, separated by commas (e.g. 10, 20, 50). "
        "Empty: a coupon can have any value.",
    )
    loyalty_coupon_program_id = fields.Many2one(
        "loyalty.program",
        string="Coupon Program",
        ondelete="restrict",
        domain="[('program_type', '=', 'gift_card'), "
        "('company_id', 'in', [id, False])]",
        help="The gift card program that holds the coupons made from points. "
        "Created on the first conversion when empty.",
    )

    loyalty_coupon_account_id = fields.Many2one(
        "account.account",
        string="Coupon Liability Account",
        check_company=True,
        ondelete="restrict",
        domain="[('account_type', 'in', "
        "('liability_current', 'liability_non_current'))]",
        help="Liability of the coupons made from points: booked points "
        "converted into a coupon move from the wallet liability to this "
        "account. Empty: the cashback expense account.",
    )

    @api.constrains(
        "loyalty_coupon_min_points",
        "loyalty_coupon_points_per_unit",
        "loyalty_coupon_validity_days",
        "loyalty_coupon_reminder_days",
        "loyalty_coupon_denominations",
    )
    def _check_loyalty_coupon_settings(self):
        for company in self:
            if company.loyalty_coupon_points_per_unit <= 0:
                raise ValidationError(
                    self.env._(
                        "The points per currency unit of a coupon must be greater "
                        "than zero."
                    )
                )
            numbers = (
                company.loyalty_coupon_min_points,
                company.loyalty_coupon_validity_days,
                company.loyalty_coupon_reminder_days,
            )
            if any(number < 0 for number in numbers):
                raise ValidationError(
                    self.env._("Coupon minimum points and days cannot be negative.")
                )
            company._loyalty_coupon_denomination_list()

    @api.constrains("loyalty_coupon_program_id")
    def _check_loyalty_coupon_program_id(self):
        for company in self:
            program = company.loyalty_coupon_program_id
            if program and (
                program.program_type != "gift_card"
                or program.company_id not in (company, self.env["res.company"])
            ):
                raise ValidationError(
                    self.env._(
                        "The coupon program of %s must be a gift card program of "
                        "that company.",
                        company.name,
                    )
                )

    # ------------------------------------------------------------------
    # Conversion rules
    # ------------------------------------------------------------------

    def _loyalty_coupon_denomination_list(self):
        """The allowed coupon values, sorted; empty when any value is allowed.

        Raises a ``ValidationError`` on a malformed list."""
        self.ensure_one()
        text = (self.loyalty_coupon_denominations or "").strip()
        if not text:
            return []
        values = set()
        for token in text.split(","):
            try:
                value = float(token.strip())
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "Coupon denominations must be numbers separated by commas, "
                        "e.g. 10, 20, 50 (not %s).",
                        token.strip() or "''",
                    )
                ) from None
            if value <= 0:
                raise ValidationError(
                    self.env._("Coupon denominations must be greater than zero.")
                )
            values.add(self.currency_id.round(value))
        return sorted(values)

    def _loyalty_coupon_value(self, points):
        """Value, in the company currency, of a coupon bought with ``points``."""
        self.ensure_one()
        return self.currency_id.round(points / self.loyalty_coupon_points_per_unit)

    def _loyalty_coupon_points_for(self, value):
        """Points a coupon worth ``value`` costs."""
        self.ensure_one()
        return self._loyalty_round(
            "points", value * self.loyalty_coupon_points_per_unit
        )

    def _loyalty_coupon_expiration_date(self, date=None):
        self.ensure_one()
        if not self.loyalty_coupon_validity_days:
            return False
        today = fields.Date.to_date(date) or fields.Date.context_today(self)
        return today + timedelta(days=self.loyalty_coupon_validity_days)

    def _loyalty_coupon_check_conversion(self, partner, points):
        """Refuse a conversion of ``points`` by ``partner`` that breaks a rule
        of the company; return the value of the coupon. The balance itself is
        checked by the ledger, under its lock, when the points are spent."""
        self.ensure_one()
        partner._loyalty_check_can_move(self)
        if points <= 0:
            raise UserError(self.env._("The points to convert must be positive."))
        if float_compare(points, self.loyalty_coupon_min_points, 6) < 0:
            raise UserError(
                self.env._(
                    "At least %(minimum)s points are needed for a coupon; "
                    "%(points)s is not enough.",
                    minimum=formatLang(self.env, self.loyalty_coupon_min_points),
                    points=formatLang(self.env, points),
                )
            )
        value = self._loyalty_coupon_value(points)
        if self.currency_id.is_zero(value):
            raise UserError(
                self.env._(
                    "%s points are worth nothing as a coupon.",
                    formatLang(self.env, points),
                )
            )
        denominations = self._loyalty_coupon_denomination_list()
        if denominations and not any(
            self.currency_id.compare_amounts(value, allowed) == 0
            for allowed in denominations
        ):
            raise UserError(
                self.env._(
                    "Coupons come in fixed values only: %(allowed)s. %(points)s "
                    "points make %(value)s.",
                    allowed=", ".join(
                        format_amount(self.env, allowed, self.currency_id)
                        for allowed in denominations
                    ),
                    points=formatLang(self.env, points),
                    value=format_amount(self.env, value, self.currency_id),
                )
            )
        return value

    # ------------------------------------------------------------------
    # The native program that holds the coupons
    # ------------------------------------------------------------------

    def _loyalty_coupon_program(self):
        """The gift card program of the company's coupons, created on first
        use."""
        self.ensure_one()
        if not self.loyalty_coupon_program_id:
            # sudo: the first conversion may be a cashier's or a customer's;
            # neither may create programs nor edit the company.
            program = (
                self.env["loyalty.program"]
                .sudo()
                .create(self._loyalty_coupon_program_values())
            )
            self.sudo().loyalty_coupon_program_id = program
        return self.loyalty_coupon_program_id

    def _loyalty_coupon_program_values(self):
        """A gift card program (1 point = 1 unit of currency, usable in several
        goes) that nothing sold can feed: its only rule targets a product that
        is neither sold nor available in the POS, so coupons come only from
        points conversions."""
        self.ensure_one()
        mail_template = self.env.ref(
            "loyalty_coupon.mail_template_loyalty_coupon_issued"
        )
        report = self.env.ref("loyalty.report_gift_card", raise_if_not_found=False)
        return {
            "name": self.env._("Coupons from Points"),
            "program_type": "gift_card",
            "company_id": self.id,
            "currency_id": self.currency_id.id,
            "applies_on": "future",
            "trigger": "auto",
            "portal_visible": True,
            "rule_ids": [
                Command.create(
                    {
                        "reward_point_amount": 1,
                        "reward_point_mode": "money",
                        "reward_point_split": True,
                        "product_ids": [
                            Command.set(
                                self.env.ref(
                                    "loyalty_coupon.product_loyalty_coupon"
                                ).ids
                            )
                        ],
                        "minimum_qty": 0,
                    }
                )
            ],
            "reward_ids": [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount_mode": "per_point",
                        "discount": 1,
                        "discount_applicability": "order",
                        "required_points": 1,
                        "description": self.env._("Coupon"),
                    }
                )
            ],
            "communication_plan_ids": [
                Command.create(
                    {
                        "trigger": "create",
                        "mail_template_id": mail_template.id,
                        "pos_report_print_id": report.id if report else False,
                    }
                )
            ],
        }

    # ------------------------------------------------------------------
    # Accounting of the ledger
    # ------------------------------------------------------------------

    def _loyalty_booking_counterpart(self, operation):
        if operation == "convert":
            return (
                self.loyalty_coupon_account_id
                or self.loyalty_cashback_expense_account_id
            )
        return super()._loyalty_booking_counterpart(operation)
