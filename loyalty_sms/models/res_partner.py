# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount

from .loyalty_otp_challenge import CODE_VALIDITY, CODES_PER_WINDOW

# ledger (and other addons') event -> loyalty.sms.rule event
LEDGER_TO_SMS_EVENT = {
    "earned": "earn",
    "spent": "spend",
    "expiring": "points_expiring",
    "enrolled": "signup",
    "tier_change": "tier_change",
    "coupon_issued": "coupon_issued",
    "coupon_expiring": "coupon_expiring",
    "birthday": "birthday",
    "anniversary": "anniversary",
}
GREETINGS = {
    # event: (date field, last-year-greeted field, company bonus field)
    "birthday": (
        "loyalty_birthday",
        "loyalty_sms_birthday_year",
        "loyalty_sms_birthday_points",
    ),
    "anniversary": (
        "loyalty_anniversary",
        "loyalty_sms_anniversary_year",
        "loyalty_sms_anniversary_points",
    ),
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    loyalty_sms_birthday_year = fields.Integer(
        string="Birthday Greeted In",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Last year the member got the birthday greeting of this company.",
    )
    loyalty_sms_anniversary_year = fields.Integer(
        string="Anniversary Greeted In",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Last year the member got the anniversary greeting of this company.",
    )

    def _loyalty_notify(self, event, transactions, **values):
        res = super()._loyalty_notify(event, transactions, **values)
        sms_event = self._loyalty_sms_event(event)
        if sms_event:
            self.env["loyalty.sms.rule"]._loyalty_queue_event(
                sms_event, transactions, **values
            )
        return res

    @api.model
    def _loyalty_sms_event(self, event):
        """The ``loyalty.sms.rule`` event a ledger (or addon) event sends, or
        None. An event named like a rule event sends it: an addon adds its
        own (e.g. ``tier_at_risk``) with ``selection_add`` on
        ``loyalty.sms.rule.event`` and a ``_loyalty_notify`` call."""
        sms_event = LEDGER_TO_SMS_EVENT.get(event, event)
        rule_events = self.env["loyalty.sms.rule"]._fields["event"].get_values(self.env)
        return sms_event if sms_event in rule_events else None

    def _loyalty_sms_send_now(self, body, number=None, company=None):
        """Send one SMS to this partner (or to ``number``) right away through
        the company's gateway, outside of the queue (one-time codes): the
        message is created, sent in the caller's transaction and kept in the
        SMS log. :return: the ``sms.sms`` (its state says the outcome)."""
        self.ensure_one()
        company = company or self.env.company
        if not company._loyalty_sms_gateway():
            raise UserError(
                self.env._("Company %s has no active SMS gateway.", company.name)
            )
        # sudo: the seller sending a code may not read the SMS queue.
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "partner_id": self.id,
                    "number": number or self._loyalty_sms_number(),
                    "body": body,
                    "loyalty_company_id": company.id,
                }
            )
        )
        sms.send(unlink_sent=False, raise_exception=False)
        return sms

    def _loyalty_sms_number(self):
        self.ensure_one()
        return next(
            (self[fname] for fname in self._phone_get_number_fields() if self[fname]),
            False,
        )

    def _loyalty_sms_lang(self):
        """The partner's language if installed, else the user's."""
        self.ensure_one()
        installed = dict(self.env["res.lang"].get_installed())
        if self.lang in installed:
            return self.lang
        return self.env.lang if self.env.lang in installed else "en_US"

    def _loyalty_sms_set_lang_if_installed(self, lang):
        """Give the partners ``lang`` only if it is installed (the demo data
        never installs a language)."""
        if lang in dict(self.env["res.lang"].get_installed()):
            self.write({"lang": lang})

    # ------------------------------------------------------------------
    # Birthday and anniversary greetings
    # ------------------------------------------------------------------

    @api.model
    def _cron_loyalty_sms_greetings(self, today=None):
        """Daily: greet the members whose birthday / wedding anniversary is
        today, once a year per company, with the optional bonus points (posted
        once: the ledger key contains the year)."""
        today = today or fields.Date.context_today(self)
        # sudo: the cron greets the members of every company that has a
        # greeting rule or bonus, whatever the companies of its user.
        rules = (
            self.env["loyalty.sms.rule"]
            .sudo()
            .search([("event", "in", list(GREETINGS))])
        )
        companies = rules.company_id | self.env["res.company"].sudo().search(
            [
                "|",
                ("loyalty_sms_birthday_points", ">", 0),
                ("loyalty_sms_anniversary_points", ">", 0),
            ]
        )
        for company in companies:
            for event in GREETINGS:
                self.sudo().with_company(company)._loyalty_greet(event, company, today)

    @api.model
    def _loyalty_greet(self, event, company, today):
        date_field, year_field, points_field = GREETINGS[event]
        for partner in self._loyalty_greeting_candidates(date_field, today):
            partner = partner.with_company(company)
            if partner[year_field] >= today.year:
                continue
            rows = self.env["loyalty.transaction"]
            bonus = company[points_field]
            if bonus and company.loyalty_points_active:
                rows = partner._loyalty_earn(
                    "points",
                    bonus,
                    company=company,
                    source=partner,
                    purpose=f"{event}:{today.year}:{company.id}",
                    description_code=event,
                    description_params=[today.year],
                )
            # sudo: the cron records that this year's greeting is done.
            partner.sudo()[year_field] = today.year
            partner._loyalty_notify(event, rows, partner=partner)

    @api.model
    def _loyalty_greeting_candidates(self, date_field, today):
        """Members whose ``date_field`` falls today (29 February is greeted
        on the 28th in common years)."""
        days = [today.day]
        if today.month == 2 and today.day == 28 and not _is_leap(today.year):
            days.append(29)
        self.flush_model([date_field, "loyalty_member", "active"])
        column = SQL.identifier(date_field)
        ids = self.env.execute_query(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE (loyalty_member ->> %(company)s)::boolean
                   AND active AND %(column)s IS NOT NULL
                   AND EXTRACT(MONTH FROM %(column)s) = %(month)s
                   AND EXTRACT(DAY FROM %(column)s) IN %(days)s
              ORDER BY id
                """,
                column=column,
                company=str(self.env.company.id),
                month=today.month,
                days=tuple(days),
            )
        )
        return self.browse(row[0] for row in ids)

    # ------------------------------------------------------------------
    # Confirmation codes at the till (RPC-callable: rights checked here)
    # ------------------------------------------------------------------

    def loyalty_otp_request(self, pos_config_id, amount):
        """Send the member a one-time code confirming a payment of ``amount``
        (company currency) at the till ``pos_config_id``.

        :return: ``{"challenge": <id>}``, the id to verify the code with.
        """
        self.ensure_one()
        config = self.env["pos.config"].browse(pos_config_id)
        config.check_access("read")
        self.check_access("read")
        partner = self.commercial_partner_id
        company = config.company_id
        gateway = company._loyalty_sms_gateway()
        if not gateway:
            raise UserError(
                self.env._("%s has no SMS gateway to send codes.", company.name)
            )
        if not partner.loyalty_member:
            raise UserError(
                self.env._("%s is not a member of the customer club.", partner.name)
            )
        number = partner._loyalty_otp_number()
        # sudo: codes are the server's secrets; no user reads or writes them.
        Challenge = self.env["loyalty.otp.challenge"].sudo()
        since = fields.Datetime.now() - CODE_VALIDITY
        if (
            Challenge.search_count(
                [("partner_id", "=", partner.id), ("create_date", ">=", since)]
            )
            >= CODES_PER_WINDOW
        ):
            raise UserError(
                self.env._(
                    "Too many codes were sent to %s: wait a few minutes.",
                    partner.name,
                )
            )
        challenge = Challenge.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "config_id": config.id,
                "amount": company.currency_id.round(amount),
                "nonce": secrets.token_hex(16),
                "expires_at": fields.Datetime.now() + CODE_VALIDITY,
            }
        )
        code = challenge._loyalty_new_code()
        body = partner.with_context(lang=partner._loyalty_sms_lang()).env._(
            "%(code)s is your code to pay %(amount)s at %(shop)s.",
            code=code,
            amount=format_amount(self.env, amount, company.currency_id),
            shop=company.name,
        )
        result = gateway._loyalty_provider().send_one(number, body)
        if result["state"] != "success":
            raise UserError(
                self.env._("The code could not be sent: %s", result["failure_reason"])
            )
        return {"challenge": challenge.id}

    def loyalty_otp_verify(self, challenge, code):
        """Check the code the customer read out.

        :return: the proof string the till sends with the order
            (``loyalty_otp_proof``), or ``{"error": <message>}`` (a wrong code
            is counted, so the attempt must not be rolled back).
        """
        self.ensure_one()
        self.check_access("read")
        # sudo: see loyalty_otp_request; the challenge must be this member's.
        record = self.env["loyalty.otp.challenge"].sudo().browse(challenge).exists()
        if not record or record.partner_id != self.commercial_partner_id:
            return {"error": self.env._("Unknown code request: ask for a new one.")}
        record.config_id.check_access("read")
        refusal = record._loyalty_check_code(code)
        if refusal:
            return {"error": refusal}
        return record._loyalty_issue_proof()

    def _loyalty_otp_number(self):
        """The member's mobile in E.164, where the code goes."""
        self.ensure_one()
        number = self._loyalty_sms_number()
        formatted = number and self._phone_format(number=number)
        if not formatted:
            raise UserError(
                self.env._("%s has no valid phone number to receive a code.", self.name)
            )
        return formatted


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
