# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, wait
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.phone_validation.tools import phone_validation

from ..tools.sms_api import LoyaltySmsApi

_logger = logging.getLogger(__name__)

# Session-level advisory lock held by the queue run that sends through the
# gateways: a message found "sending" while we hold it belongs to a dead run.
QUEUE_LOCK = zlib.crc32(b"loyalty_sms.queue")
# Seconds between two commits of the answers received (at most what a killed
# worker can leave unrecorded).
FLUSH_SECONDS = 1.0


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
    loyalty_sending_since = fields.Datetime(
        string="Sending Since",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set and committed by the queue just before the request leaves, "
        "cleared with the answer: a message still marked after its run died "
        "may have been delivered.",
    )
    loyalty_marketing = fields.Boolean(
        string="Commercial Message",
        readonly=True,
        help="Broadcasts and greetings: providers that check the recipients' "
        "consent to commercial messages (Netgsm with İYS) filter them.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        marketing = bool(self.env.context.get("loyalty_sms_marketing"))
        for vals in vals_list:
            vals.setdefault("loyalty_company_id", self.env.company.id)
            vals.setdefault("loyalty_marketing", marketing)
        return super().create(vals_list)

    @api.model
    def _search(self, domain, *args, **kwargs):
        if self.env.context.get("loyalty_sms_due_only"):
            domain = Domain(domain) & self._loyalty_due_domain()
        skipped = self.env.context.get("loyalty_sms_skip_company_ids")
        if skipped:
            domain = Domain(domain) & ~self._loyalty_company_domain(skipped)
        return super()._search(domain, *args, **kwargs)

    def action_set_outgoing(self):
        # A message retried by hand gets the full number of attempts again.
        res = super().action_set_outgoing()
        self.write(
            {
                "loyalty_retry_count": 0,
                "loyalty_next_try": False,
                "loyalty_sending_since": False,
            }
        )
        return res

    # ------------------------------------------------------------------
    # Routing through the company's gateway
    # ------------------------------------------------------------------

    @api.model
    def _process_queue(self):
        # The companies with a gateway: sent here, in parallel and time-boxed;
        # the others (Odoo's IAP) by core, which must not see ours.
        # sudo: the queue runs for every company, whatever its user.
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("loyalty_sms_gateway_id.active", "=", True)])
        )
        if companies:
            # sudo: the queue sends every app's and company's messages, whoever
            # runs it (the cron runs as the superuser anyway).
            self.sudo()._loyalty_process_gateway_queue(companies)
        # Messages waiting for a retry stay "outgoing" but are not due yet:
        # the cron must neither pick them nor count them as remaining work.
        return super(
            SmsSms,
            self.with_context(
                loyalty_sms_due_only=True, loyalty_sms_skip_company_ids=companies.ids
            ),
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
        sendable = self
        if sms_api.known_results is None:
            sendable = self._loyalty_check_numbers(sms_api.company)
            marketing = sendable.filtered("loyalty_marketing").mapped("uuid")
            sendable = sendable.with_context(loyalty_sms_marketing_uuids=marketing)
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
            values = {"loyalty_failure_reason": result.get("failure_reason") or False}
            if result.get("provider_ref"):
                values["loyalty_provider_ref"] = result["provider_ref"]
            if result.get("state") == "loyalty_uncertain":
                values["loyalty_failure_reason"] = self.env._(
                    "No answer from the gateway: the message may have been "
                    "delivered, so it is not resent automatically. Check the "
                    "provider's panel before retrying it. (%s)",
                    result.get("failure_reason"),
                )
            if sms:
                sms.write(values)
        return super()._handle_call_result_hook(results)

    # ------------------------------------------------------------------
    # The queue through the gateways: parallel, time-boxed, committed
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_process_gateway_queue(self, companies):
        """Send the due messages of ``companies`` for at most a time budget.

        Guarantees, for a worker killed at any moment:

        - before a request leaves, its message is marked ``sending`` in a
          committed transaction; each answer is committed within about
          :data:`FLUSH_SECONDS`, so a delivered message is never sent again
          as if new;
        - a message still marked ``sending`` when the next run starts (its run
          died between request and commit) is sent again, with the same
          reference, only through providers that deduplicate on it; through
          the others it stops in error saying it may have been delivered (a
          possible loss the shop can check, rather than a double);
        - the run stops taking messages at its deadline and waits only for
          the requests in flight (at most the gateway timeout).
        """
        budget = self._loyalty_time_budget()
        if budget <= 0 or not self._loyalty_queue_lock():
            return
        try:
            self._loyalty_recover_interrupted(companies)
            self._loyalty_run_gateways(companies, time.monotonic() + budget)
        finally:
            self._loyalty_queue_unlock()
        remaining = self.search_count(self._loyalty_queue_domain(companies))
        self.env["ir.cron"]._commit_progress(remaining=remaining)
        if remaining:
            # Core's part of the run may report its own count: make sure the
            # cron comes back for ours.
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()

    @api.model
    def _loyalty_time_budget(self):
        """Seconds this run may take messages: the shop's limit
        (``loyalty_sms.queue_seconds``, default 20), within what the cron
        job has left (Odoo gives a job about 10 s before it yields)."""
        # sudo: system parameters are admin-only; the queue runs for everyone.
        params = self.env["ir.config_parameter"].sudo()
        budget = float(params.get_param("loyalty_sms.queue_seconds", 20))
        cron_end = self.env.context.get("cron_end_time")
        if cron_end:
            budget = min(budget, cron_end - time.monotonic())
        return budget

    @api.model
    def _loyalty_queue_lock(self):
        return self.env.execute_query(
            SQL("SELECT pg_try_advisory_lock(%s)", QUEUE_LOCK)
        )[0][0]

    @api.model
    def _loyalty_queue_unlock(self):
        # A session lock outlives the transaction: release it even from an
        # aborted one, or the pooled connection would keep it for ever.
        query = SQL("SELECT pg_advisory_unlock(%s)", QUEUE_LOCK)
        try:
            self.env.cr.execute(query)
        except psycopg2.Error:
            self.env.cr.rollback()
            self.env.cr.execute(query)

    @api.model
    def _loyalty_queue_domain(self, companies):
        return (
            Domain([("state", "=", "outgoing"), ("to_delete", "!=", True)])
            & Domain("loyalty_sending_since", "=", False)
            & self._loyalty_due_domain()
            & self._loyalty_company_domain(companies.ids)
        )

    @api.model
    def _loyalty_company_domain(self, company_ids):
        """Messages sent by ``company_ids`` (see ``_get_sms_company``)."""
        no_record_company = Domain("mail_message_id", "=", False) | Domain(
            "mail_message_id.record_company_id", "=", False
        )
        return Domain("mail_message_id.record_company_id", "in", company_ids) | (
            no_record_company & Domain("loyalty_company_id", "in", company_ids)
        )

    @api.model
    def _loyalty_recover_interrupted(self, companies):
        """Messages left ``sending`` by a run that died (we hold the queue
        lock, so no live run owns them)."""
        stuck = self.search(
            Domain([("state", "=", "outgoing"), ("loyalty_sending_since", "!=", False)])
            & self._loyalty_company_domain(companies.ids)
        )
        for company, messages in stuck.grouped(
            lambda sms: sms._get_sms_company()
        ).items():
            gateway = company._loyalty_sms_gateway()
            if gateway and gateway._loyalty_provider().idempotent:
                messages.loyalty_sending_since = False
                continue
            messages._loyalty_fail(
                "sms_server",
                self.env._(
                    "The sending was interrupted after the request left: the "
                    "message may have been delivered, so it is not resent "
                    "automatically. Check the provider's panel before retrying it."
                ),
            )
            messages.loyalty_sending_since = False
        if stuck:
            _logger.warning(
                "SMS queue: %s interrupted message(s) recovered", len(stuck)
            )
            self.env["ir.cron"]._commit_progress(len(stuck))

    @api.model
    def _loyalty_run_gateways(self, companies, deadline):
        dispatchers = {
            company: company._loyalty_sms_gateway()._loyalty_dispatcher(
                not_after=deadline
            )
            for company in companies
        }
        # Twice the requests in flight are handed over, so that no thread
        # waits for the next message while we fetch and mark more; refilled
        # as soon as a quarter of them is done. (Not more: a killed run
        # leaves all of them "sending".)
        in_flight_max = sum(d.max_in_flight for d in dispatchers.values())
        capacity = 2 * in_flight_max
        refill_at = capacity - max(in_flight_max // 2, 1)
        in_flight = {}  # future -> sms
        answers = {}  # sms -> result
        flushed_at = time.monotonic()
        exhausted = False
        try:
            while True:
                taking = not exhausted and time.monotonic() < deadline
                if taking and len(in_flight) <= refill_at:
                    limit = capacity - len(in_flight)
                    submitted, taken = self._loyalty_submit_next(
                        companies, dispatchers, limit
                    )
                    in_flight.update(submitted)
                    exhausted = taken < limit
                if not in_flight:
                    if exhausted or time.monotonic() >= deadline:
                        break
                    continue
                if time.monotonic() >= deadline:
                    # Not started yet: back to the queue, for the next run.
                    for future in [f for f in in_flight if f.cancel()]:
                        answers[in_flight.pop(future)] = {"state": "loyalty_not_sent"}
                done, _pending = wait(
                    list(in_flight), timeout=FLUSH_SECONDS, return_when=FIRST_COMPLETED
                )
                for future in done:
                    answers[in_flight.pop(future)] = future.result()
                if not in_flight or time.monotonic() - flushed_at >= FLUSH_SECONDS:
                    self._loyalty_record_answers(answers)
                    answers = {}
                    flushed_at = time.monotonic()
        finally:
            for dispatcher in dispatchers.values():
                dispatcher.close()
        self._loyalty_record_answers(answers)

    @api.model
    def _loyalty_submit_next(self, companies, dispatchers, limit):
        """Mark the next due messages ``sending``, commit, hand them to their
        gateway's dispatcher.

        :return: ({future: sms}, number of due messages found)
        """
        batch = self.search(
            self._loyalty_queue_domain(companies), limit=limit, order="id"
        )
        taken = len(batch)
        batch = batch.try_lock_for_update()
        if not batch:
            return {}, taken
        sendable = self.browse()
        for company, messages in batch.grouped(
            lambda sms: sms._get_sms_company()
        ).items():
            sendable |= messages._loyalty_check_numbers(company)
        sendable.loyalty_sending_since = fields.Datetime.now()
        self.env["ir.cron"]._commit_progress(len(batch - sendable))
        submitted = {}
        for sms in sendable:
            dispatcher = dispatchers[sms._get_sms_company()]
            future = dispatcher.submit(
                sms.number, sms.body or "", sms.uuid, marketing=sms.loyalty_marketing
            )
            submitted[future] = sms
        return submitted, taken

    @api.model
    def _loyalty_record_answers(self, answers):
        """Write what the gateways answered through core (states, trackers,
        notifications), schedule the retries, and commit."""
        if not answers:
            return
        messages = self.browse().union(*answers)
        not_sent = messages.filtered(
            lambda sms: answers[sms].get("state") == "loyalty_not_sent"
        )
        sent = messages - not_sent
        for company, company_sms in sent.grouped(
            lambda sms: sms._get_sms_company()
        ).items():
            sms_api = LoyaltySmsApi(
                self.env, known_results={sms.uuid: answers[sms] for sms in company_sms}
            )
            sms_api._set_company(company)
            company_sms._send_with_api(sms_api, unlink_failed=False, unlink_sent=True)
        messages.loyalty_sending_since = False
        self.env["ir.cron"]._commit_progress(len(sent))

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
        retry_after = {
            result["uuid"]: result.get("retry_after") or 0
            for result in transient_results
        }
        now = fields.Datetime.now()
        next_tries = []
        for sms in to_retry:
            max_attempts, base_delay = sms._loyalty_retry_policy()
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
            delay = max(base_delay * 2 ** (attempts - 1), retry_after[sms.uuid])
            next_try = now + timedelta(seconds=delay)
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

    def _loyalty_retry_policy(self):
        """(attempts, first delay in seconds) for this message's provider; the
        system parameters ``loyalty_sms.max_attempts`` and
        ``loyalty_sms.retry_delay`` override every provider's."""
        self.ensure_one()
        gateway = self._get_sms_company()._loyalty_sms_gateway()
        provider = gateway._loyalty_provider() if gateway else None
        # sudo: system parameters are admin-only; the queue runs for everyone.
        params = self.env["ir.config_parameter"].sudo()
        max_attempts = params.get_param("loyalty_sms.max_attempts")
        delay = params.get_param("loyalty_sms.retry_delay")
        return (
            int(max_attempts or (provider.max_attempts if provider else 5)),
            int(delay or (provider.retry_delay if provider else 60)),
        )

    @api.model
    def _loyalty_due_domain(self):
        return Domain("loyalty_next_try", "=", False) | Domain(
            "loyalty_next_try", "<=", fields.Datetime.now()
        )
