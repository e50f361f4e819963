# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import float_is_zero, formatLang

from odoo.addons.loyalty_wallet.tools import format_loyalty_amount, format_loyalty_date

_logger = logging.getLogger(__name__)

EVENTS = [
    ("earn", "Purchase reward (cashback / points earned)"),
    ("spend", "Wallet or points spent"),
    ("tier_change", "Tier change"),
    ("coupon_issued", "Coupon issued"),
    ("coupon_expiring", "Coupon expiring"),
    ("points_expiring", "Credit or points expiring"),
    ("signup", "Signup (enrolment)"),
    ("birthday", "Birthday"),
    ("anniversary", "Wedding anniversary"),
]
# Commercial messages: sent with the consent filter of the providers that
# have one (Netgsm / İYS); the other events are transactional.
MARKETING_EVENTS = ("birthday", "anniversary")
# "@credit" but not "@credits"; any non-ASCII letter may follow
# ("@creditتومان"); not inside an e-mail address ("info@shop.com").
VARIABLE_PATTERN = r"(?<![A-Za-z0-9_.])@({})(?![A-Za-z0-9_])"
# Placeholders that are empty when there is nothing to say ("paid with the
# club balance" of a sale paid in cash): a line with only those, all empty, is
# left out.
OPTIONAL_VARIABLES = ("paid", "paidpoints")
# Amount placeholders carry their unit: a currency word written after one (as
# the first templates and their translations did, "@credit تومان") would show
# it twice, or a wrong one (toman in a rial or dollar shop): it is dropped.
MONEY_VARIABLES = ("totalcredit", "credit", "amount", "paid")
UNIT_AFTER_AMOUNT_RE = re.compile(
    r"(@(?:{})(?![A-Za-z0-9_]))[ \t\u00a0]*(?:تومان|ریال|Toman|Rials?|TL|₺|€|EUR|"
    r"[Ll]ira|[Ee]uro)(?![A-Za-z])".format("|".join(MONEY_VARIABLES))
)


class LoyaltySmsRule(models.Model):
    """Which SMS template a loyalty event sends to the member."""

    _name = "loyalty.sms.rule"
    _description = "Loyalty SMS Rule"
    _order = "company_id, event, id"

    event = fields.Selection(EVENTS, required=True)
    template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        required=True,
        ondelete="restrict",
        domain="[('model', '=', 'res.partner')]",
        help="A contact template. Besides Odoo's {{ }} expressions, the body "
        "accepts @name @credit @totalcredit @amount @paid @points @paidpoints "
        "@totalpoints @tier @coupon @expiry @date @shop.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)

    @api.constrains("template_id")
    def _check_template_model(self):
        for rule in self:
            if rule.template_id.model != "res.partner":
                raise ValidationError(
                    self.env._(
                        "The template of a loyalty SMS rule must be a Contact template."
                    )
                )

    # The active rules are cached under the setup stamp (see res.company).
    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._loyalty_setup_changed()
        return super().create(vals_list)

    def write(self, vals):
        self.env["res.company"]._loyalty_setup_changed()
        return super().write(vals)

    def unlink(self):
        self.env["res.company"]._loyalty_setup_changed()
        return super().unlink()

    @api.depends("event", "template_id")
    def _compute_display_name(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        for rule in self:
            rule.display_name = (
                f"{events.get(rule.event, '')}: {rule.template_id.name or ''}"
            )

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_queue_event(self, event, transactions, **values):
        """Queue (never send) the SMS of every active rule of ``event`` for
        the partners concerned, in the caller's transaction: the queue cron
        sends them after the sale is committed.

        :return: the queued ``sms.sms``.
        """
        # sudo: a cashier's sale triggers the message; rules, templates and
        # the SMS queue are configuration she cannot read.
        rules = self.sudo().browse(
            self._loyalty_active_rule_ids(
                event, self.env["res.company"]._loyalty_setup_key()
            )
        )
        if not rules:
            # Most events of most shops have no rule: cost nothing (the tier
            # review announces hundreds of thousands of changes).
            return self.env["sms.sms"]
        # sudo: the event's rows are the member's movements that the
        # caller's work posted (or the lots a reminder is about); the message
        # tells the member about them whoever raised it, and a cashier may
        # read only the rows she recorded herself.
        targets = self._loyalty_event_targets(transactions.sudo(), values)
        rules_by_company = rules.grouped("company_id")
        vals_list = []
        for (partner, company), rows in targets.items():
            for rule in rules_by_company.get(company, []):
                vals_list.append(rule._loyalty_sms_vals(partner, company, rows, values))
        if not vals_list:
            return self.env["sms.sms"]
        return self.env["sms.sms"].sudo().create(vals_list)

    @api.model
    @tools.ormcache("event", "setup_key")
    def _loyalty_active_rule_ids(self, event, setup_key):
        # setup_key: see res.company._loyalty_setup_changed
        return tuple(self.sudo().search([("event", "=", event)]).ids)

    @api.model
    def _loyalty_event_targets(self, transactions, values):
        """{(partner, company): ledger rows} concerned by an event."""
        targets = defaultdict(transactions.browse)
        for row in transactions:
            targets[(row.partner_id, row.company_id)] |= row
        partner = values.get("partner")
        if partner and not targets:
            card = values.get("card")
            company = (card and card.company_id) or self.env.company
            targets[(partner.commercial_partner_id, company)] = transactions
        return targets

    def _loyalty_sms_vals(self, partner, company, rows, values):
        self.ensure_one()
        vals = {
            "partner_id": partner.id,
            "number": partner._loyalty_sms_number(),
            "loyalty_company_id": company.id,
            "loyalty_rule_id": self.id,
            "loyalty_marketing": self.event in MARKETING_EVENTS,
        }
        try:
            vals["body"] = self._loyalty_render(partner, company, rows, values)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A broken template must not block the sale: the message fails
            # and says why.
            _logger.exception("Loyalty SMS rule %s: rendering failed", self.id)
            vals.update(
                body=self.template_id.body,
                state="error",
                failure_type="unknown",
                loyalty_failure_reason=self.env._(
                    "The template could not be rendered: %s", error
                ),
            )
        return vals

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------

    def _loyalty_render(self, partner, company, rows, values):
        """The template rendered for ``partner`` in the partner's language
        (Odoo's ``{{ }}`` first, then the @ variables)."""
        self.ensure_one()
        lang = partner._loyalty_sms_lang()
        template = self.template_id.with_company(company)
        body = template._render_field("body", [partner.id], set_lang=lang)[partner.id]
        env = self.with_context(lang=lang).with_company(company).env
        return self.env["loyalty.sms.rule"]._loyalty_substitute(
            body,
            env["loyalty.sms.rule"]._loyalty_sms_placeholders(
                partner, rows, dict(values, event=self.event)
            ),
        )

    @api.model
    def _loyalty_substitute(self, body, variables):
        """Replace the @ placeholders of ``body`` (longest names first, so
        ``@totalcredit`` is not read as ``@total`` + ``credit``)."""
        if not variables:
            return body
        body = UNIT_AFTER_AMOUNT_RE.sub(r"\1", body)
        names = sorted(variables, key=len, reverse=True)
        pattern = re.compile(VARIABLE_PATTERN.format("|".join(map(re.escape, names))))
        lines = []
        for line in body.split("\n"):
            used = pattern.findall(line)
            if (
                used
                and all(name in OPTIONAL_VARIABLES for name in used)
                and not any(variables[name] for name in used)
            ):
                continue
            lines.append(
                pattern.sub(lambda match: str(variables[match.group(1)]), line)
            )
        return "\n".join(lines)

    @api.model
    def _loyalty_variables(self, partner, company, rows, values):
        """Kept for callers of the first version: see
        :meth:`_loyalty_sms_placeholders`."""
        return self.with_company(company)._loyalty_sms_placeholders(
            partner, rows, values
        )

    @api.model
    def _loyalty_sms_placeholders(self, partner, rows, values=None):
        """The @ placeholders of one message: ``{name: text}``.

        ``self.env`` carries the reader's language (number and date formats)
        and the sending company; ``rows`` are the ledger rows of the event
        (a sale's spending and earning together, the lots of an expiry
        reminder); ``values`` what the event adds (``event``, ``card``,
        ``new_tier``, ``partner``). The extension point of other addons: add
        a key and the templates accept ``@key`` (e.g. ``@progress``).
        """
        values = values or {}
        company = self.env.company
        partner = partner.with_company(company)
        event = values.get("event")
        wallet = rows.filtered(lambda row: row.kind == "wallet")
        points = rows.filtered(lambda row: row.kind == "points")
        source = self._loyalty_source(rows)
        tier = values.get("new_tier")
        if tier is None and "loyalty_tier_id" in partner._fields:
            tier = partner.loyalty_tier_id
        card = values.get("card")
        if event == "points_expiring":
            # A reminder tells what is left of the lots, not their first size.
            credit = sum(wallet.mapped("remaining"))
            point_count = sum(points.mapped("remaining"))
        else:
            credit = self._loyalty_moved(wallet)
            point_count = self._loyalty_moved(points)
        expiry = self._loyalty_expiry(rows, card, event)
        event_date = max(rows.mapped("date")) if rows else fields.Datetime.now()
        money = self._loyalty_format_money
        return {
            "name": partner.name or "",
            "credit": money(credit, company),
            "totalcredit": money(partner._loyalty_balance("wallet", company), company),
            "paid": self._loyalty_paid(wallet)
            and money(self._loyalty_paid(wallet), company),
            "amount": money(
                source.amount_total
                if source and "amount_total" in source._fields
                else credit,
                company,
            ),
            "points": self._loyalty_format_points(point_count),
            "paidpoints": self._loyalty_paid(points)
            and self._loyalty_format_points(self._loyalty_paid(points)),
            "totalpoints": self._loyalty_format_points(
                partner._loyalty_balance("points", company)
            ),
            "tier": tier.with_context(lang=self.env.lang).display_name if tier else "",
            "coupon": (card and card.code) or "",
            "expiry": self._loyalty_format_date(expiry) if expiry else "",
            "date": self._loyalty_format_datetime(event_date, partner),
            "shop": company.name or "",
        }

    @api.model
    def _loyalty_moved(self, rows):
        """What the event added (its positive rows), else what it took."""
        gained = sum(amount for amount in rows.mapped("amount") if amount > 0)
        return gained or self._loyalty_paid(rows)

    @api.model
    def _loyalty_paid(self, rows):
        return -sum(amount for amount in rows.mapped("amount") if amount < 0)

    @api.model
    def _loyalty_expiry(self, rows, card, event):
        """The coupon's own expiry for coupon events; else the first expiry
        of the lots the event created or reminds of (a spending row's date
        means nothing to the customer)."""
        if card:
            return card.expiration_date
        if event == "spend":
            return False
        lots = rows.filtered(lambda row: row.amount > 0 and row.expiration_date)
        return min(lots.mapped("expiration_date")) if lots else False

    @api.model
    def _loyalty_source(self, rows):
        """The document of the event (e.g. the POS order), if still there."""
        row = rows[:1]
        if not (row.source_model and row.source_id and row.source_model in self.env):
            return None
        # sudo: the message quotes the order's total, whoever made the sale.
        source = self.env[row.source_model].sudo().browse(row.source_id).exists()
        return source or None

    @api.model
    def _loyalty_format_money(self, value, company):
        """In the company's display unit (Toman / Rial for IRR, else its
        currency), with the reader's separators."""
        return format_loyalty_amount(self.env, value, company)

    @api.model
    def _loyalty_format_points(self, value):
        digits = self.env["decimal.precision"].precision_get("Loyalty Points")
        if float_is_zero(value - round(value), precision_digits=digits):
            digits = 0
        return formatLang(self.env, value, digits=digits)

    @api.model
    def _loyalty_format_date(self, value):
        return format_loyalty_date(self.env, value)

    @api.model
    def _loyalty_format_datetime(self, value, partner):
        """``value`` (UTC) in the partner's (else the user's) time zone: Jalali
        ``1400/04/05 09:50`` for Persian speakers, else the language's date."""
        return format_loyalty_date(self.env, value, tz=partner.tz, with_time=True)
