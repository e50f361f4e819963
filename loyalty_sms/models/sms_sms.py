# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.phone_validation.tools import phone_validation

from ..tools.sms_api import LoyaltySmsApi

_logger = logging.getLogger(__name__)


class SmsSms(models.Model):
    _inherit = "sms.sms"

    failure_type = fields.Selection(
        selection_add=[
            ("sms_expired", "Expired"),
            ("sms_invalid_destination", "Invalid Destination"),
            ("sms_not_delivered", "Not Delivered"),
            ("sms_rejected", "Rejected"),
        ]
    )
    loyalty_company_id = fields.Many2one(
        "res.company",
        string="Sending Company",
        ondelete="set null",
        help="The company whose SMS gateway sends this message.",
    )
    loyalty_rule_id = fields.Many2one(
        "loyalty.sms.rule",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    loyalty_broadcast = fields.Boolean(
        string="Club Broadcast",
        readonly=True,
        help="Sent by a broadcast of the customer club (Loyalty Managers see "
        "the club's messages only).",
    )
    loyalty_failure_reason = fields.Text(
        string="Failure Reason",
        readonly=True,
        help="What the number check or the gateway said about the last attempt.",
    )
    loyalty_retry_count = fields.Integer(
        string="Failed Attempts",
        readonly=True,
        help="Attempts that failed because the gateway was unreachable or failed "
        "on its side; the message is retried until the limit, then fails.",
    )
    loyalty_next_try = fields.Datetime(
        string="Next Attempt",
        readonly=True,
        index="btree_not_null",
        help="The queue does not send the message before this time.",
    )
    loyalty_provider_ref = fields.Char(
        string="Provider Reference",
        readonly=True,
        index="btree_not_null",
        help="The gateway's id of the message, matched by delivery reports.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("loyalty_company_id", self.env.company.id)
        return super().create(vals_list)

    @api.model
    def _search(self, domain, *args, **kwargs):
        if self.env.context.get("loyalty_sms_due_only"):
            domain = Domain(domain) & self._loyalty_due_domain()
        return super()._search(domain, *args, **kwargs)

    # ------------------------------------------------------------------
    # Routing through the company's gateway
    # ------------------------------------------------------------------

    @api.model
    def _process_queue(self):
        # Messages waiting for a retry stay "outgoing" but are not due yet:
        # the cron must neither pick them nor count them as remaining work.
        return super(
            SmsSms, self.with_context(loyalty_sms_due_only=True)
        )._process_queue()

    def _get_sms_company(self):
        if len(self) == 1 and not self.mail_message_id.record_company_id:
            return self.loyalty_company_id or super()._get_sms_company()
        return super()._get_sms_company()

    def _split_by_api(self):
        others = self.browse()
        for company, company_sms in self.grouped(
            lambda sms: sms._get_sms_company()
        ).items():
            if company._loyalty_sms_gateway():
                sms_api = LoyaltySmsApi(self.env)
                sms_api._set_company(company)
                yield sms_api, company_sms
            else:
                others |= company_sms
        if others:
            yield from super(SmsSms, others)._split_by_api()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        if self.env.context.get("sms_api"):
            return super()._send(unlink_failed, unlink_sent, raise_exception)
        # The queue cron sends a batch of many companies: each company's SMS
        # go through its own API (gateway or IAP).
        for sms_api, sms in self._split_by_api():
            super(SmsSms, sms.with_context(sms_api=sms_api))._send(
                unlink_failed, unlink_sent, raise_exception
            )
        return None

    def _send_with_api(
        self, sms_api, unlink_failed=False, unlink_sent=True, raise_exception=False
    ):
        if not isinstance(sms_api, LoyaltySmsApi):
            return super()._send_with_api(
                sms_api, unlink_failed, unlink_sent, raise_exception
            )
        sendable = self._loyalty_check_numbers(sms_api.company)
        if sendable:
            super(SmsSms, sendable)._send_with_api(
                sms_api, unlink_failed, unlink_sent, raise_exception
            )
            sendable._loyalty_retry_later(sms_api.transient_results)
            sms_api.transient_results.clear()
        return None

    def _handle_call_result_hook(self, results):
        by_uuid = self.grouped("uuid")
        for result in results:
            sms = by_uuid.get(result.get("uuid"))
            values = {}
            if result.get("provider_ref"):
                values["loyalty_provider_ref"] = result["provider_ref"]
            if result.get("failure_reason"):
                values["loyalty_failure_reason"] = result["failure_reason"]
            if sms and values:
                sms.write(values)
        return super()._handle_call_result_hook(results)

    # ------------------------------------------------------------------
    # Numbers, opt-outs and retries
    # ------------------------------------------------------------------

    def _loyalty_check_numbers(self, company):
        """Normalise the numbers to E.164 (the partner's country, else the
        company's); fail the messages without a valid number and cancel those
        to opted-out numbers, before any request leaves.

        :return: the messages that can be sent.
        """
        numbers = {}
        for sms in self:
            if not sms.number:
                sms._loyalty_fail(
                    "sms_number_missing",
                    self.env._("The customer has no phone number."),
                )
                continue
            country = sms.partner_id.country_id or company.country_id
            try:
                numbers[sms] = phone_validation.phone_format(
                    sms.number, country.code, country.phone_code, force_format="E164"
                )
            except UserError as error:
                sms._loyalty_fail("sms_number_format", str(error))
        # sudo: the opt-out list is consulted, not shown.
        blacklisted = set(
            self.env["phone.blacklist"]
            .sudo()
            .search([("number", "in", list(set(numbers.values())))])
            .mapped("number")
        )
        sendable = self.browse()
        for sms, number in numbers.items():
            if number in blacklisted:
                sms._loyalty_fail(
                    "sms_blacklist",
                    self.env._(
                        "%s asked not to receive SMS (phone blacklist).", number
                    ),
                    state="canceled",
                )
                continue
            if sms.number != number:
                sms.number = number
            sendable |= sms
        return sendable

    def _loyalty_fail(self, failure_type, reason, state="error"):
        self._update_sms_state_and_trackers(state, failure_type=failure_type)
        self.write({"loyalty_failure_reason": reason, "loyalty_next_try": False})

    def _loyalty_retry_later(self, transient_results):
        """Keep in the queue, with an exponential backoff, the messages the
        gateway could not take; after ``loyalty_sms.max_attempts`` failed
        attempts they fail for good (server error)."""
        reasons = {
            result["uuid"]: result.get("failure_reason") for result in transient_results
        }
        to_retry = self.filtered(lambda sms: sms.uuid in reasons)
        if not to_retry:
            return
        # sudo: system parameters are admin-only; the queue runs for everyone.
        params = self.env["ir.config_parameter"].sudo()
        max_attempts = int(params.get_param("loyalty_sms.max_attempts", 5))
        base_delay = int(params.get_param("loyalty_sms.retry_delay", 60))
        now = fields.Datetime.now()
        next_tries = []
        for sms in to_retry:
            attempts = sms.loyalty_retry_count + 1
            reason = reasons[sms.uuid]
            if attempts >= max_attempts:
                sms._loyalty_fail(
                    "sms_server",
                    self.env._(
                        "The gateway failed %(count)s times: %(reason)s",
                        count=attempts,
                        reason=reason,
                    ),
                )
                sms.loyalty_retry_count = attempts
                continue
            next_try = now + timedelta(seconds=base_delay * 2 ** (attempts - 1))
            next_tries.append(next_try)
            sms.write(
                {
                    "loyalty_retry_count": attempts,
                    "loyalty_next_try": next_try,
                    "loyalty_failure_reason": reason,
                }
            )
        if next_tries:
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger(
                at=min(next_tries)
            )
        _logger.info(
            "SMS gateway unavailable: %s message(s) kept for a retry", len(to_retry)
        )

    @api.model
    def _loyalty_due_domain(self):
        return Domain("loyalty_next_try", "=", False) | Domain(
            "loyalty_next_try", "<=", fields.Datetime.now()
        )
