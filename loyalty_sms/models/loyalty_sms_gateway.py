# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hmac
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.urls import urljoin

from ..tools.sms_api import LoyaltySmsDispatcher
from ..tools.sms_providers import PROVIDERS

# Secrets and endpoints are the system administrators', as in core sms_twilio:
# whoever reads them can send SMS billed to the shop, or redirect its traffic.
SYSTEM = "base.group_system"


class LoyaltySmsGateway(models.Model):
    """An SMS provider account. Selected on a company, it carries all of that
    company's Odoo SMS (loyalty events, templates, composer, marketing)."""

    _name = "loyalty.sms.gateway"
    _description = "Loyalty SMS Gateway"
    _order = "company_id, name, id"

    # Translatable: the shop's staff read it in their language (settings,
    # queue), e.g. the demo's "Demo SMS sink".
    name = fields.Char(required=True, translate=True)
    provider = fields.Selection(
        [
            ("http", "Generic HTTP (JSON)"),
            ("kavenegar", "Kavenegar"),
            ("smsir", "SMS.ir"),
            ("netgsm", "Netgsm"),
            ("twilio", "Twilio"),
        ],
        required=True,
        default="http",
        help="Generic HTTP: POST of {to, text, sender, reference} as JSON with "
        "a bearer token to the endpoint URL; any 2xx answer is a success.",
    )
    endpoint_url = fields.Char(
        string="Endpoint URL",
        groups=SYSTEM,
        help="Required for the generic HTTP provider; for the named providers it "
        "replaces their public base URL (self-hosted relays, tests).",
    )
    api_key = fields.Char(
        string="API Key / Token",
        groups=SYSTEM,
        copy=False,
        help="Bearer token (HTTP), API key (Kavenegar, SMS.ir), password "
        "(Netgsm) or auth token (Twilio).",
    )
    username = fields.Char(
        groups=SYSTEM,
        help="User code (Netgsm) or account SID (Twilio).",
    )
    sender = fields.Char(
        help="Sender number or name: line number (Kavenegar, SMS.ir), message "
        "header (Netgsm), From number (Twilio).",
    )
    callback_token = fields.Char(
        groups=SYSTEM,
        copy=False,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(24),
        help="Secret part of the delivery report URL of providers that do not "
        "sign their callbacks.",
    )
    status_url = fields.Char(
        string="Delivery Report URL",
        compute="_compute_status_url",
        groups=SYSTEM,
        help="Give this URL to the provider for delivery reports.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    timeout = fields.Float(
        string="Timeout (seconds)",
        default=10.0,
        help="How long to wait for the provider's answer. An unanswered message "
        "is retried with the same reference by providers that deduplicate on it "
        "(generic HTTP, Kavenegar); with the others it stops in error, as it may "
        "have been delivered.",
    )
    max_in_flight = fields.Integer(
        string="Parallel Requests",
        default=50,
        help="How many messages the queue sends at the same time through this "
        "gateway (each on a kept-alive connection).",
    )
    rate_limit = fields.Float(
        string="Rate Limit (messages/second)",
        help="The most messages per second the provider accepts on this account "
        "(0 = no limit).",
    )
    test_number = fields.Char(
        help="Number that receives the test SMS of the 'Send Test SMS' button."
    )

    @api.depends("provider", "callback_token")
    def _compute_status_url(self):
        for gateway in self:
            gateway.status_url = gateway._loyalty_status_url() if gateway.id else False

    @api.constrains("timeout", "max_in_flight", "rate_limit")
    def _check_sending_limits(self):
        for gateway in self:
            # A queue run waits at most one timeout for its last answers: a
            # long one would make the run outlive the worker's time limit.
            if not 1 <= gateway.timeout <= 30:
                raise ValidationError(
                    self.env._("The timeout must be between 1 and 30 seconds.")
                )
            if not 1 <= gateway.max_in_flight <= 200:
                raise ValidationError(
                    self.env._("Parallel requests must be between 1 and 200.")
                )
            if gateway.rate_limit < 0:
                raise ValidationError(self.env._("The rate limit cannot be negative."))

    @api.constrains("provider", "endpoint_url")
    def _check_endpoint_url(self):
        for gateway in self:
            if gateway.provider == "http" and not gateway.endpoint_url:
                raise ValidationError(
                    self.env._(
                        "The generic HTTP gateway %s needs an endpoint URL.",
                        gateway.name,
                    )
                )

    def action_send_test_sms(self):
        """Send one SMS right away (not through the queue) and tell the result."""
        self.ensure_one()
        if not self.test_number:
            raise UserError(self.env._("Enter the number that receives the test SMS."))
        number = self.env.user._phone_format(
            number=self.test_number, raise_exception=True
        )
        body = self.env._(
            "Test SMS from %(company)s (%(gateway)s)",
            company=self.company_id.name,
            gateway=self.name,
        )
        result = self._loyalty_send_now(number, body)
        if result["state"] == "success":
            message, kind = (
                self.env._("The test SMS was accepted by %s.", self.name),
                "success",
            )
        else:
            message, kind = (
                self.env._("The test SMS failed: %s", result["failure_reason"]),
                "danger",
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.name,
                "message": message,
                "type": kind,
                "sticky": kind != "success",
            },
        }

    def _loyalty_send_now(self, number, body, marketing=False):
        """Send one SMS right away, outside of the queue and of any record
        (test button, one-time codes): the adapter's result dict, its failure
        reason free of secrets. ``number`` must be E.164."""
        self.ensure_one()
        return self._loyalty_provider().send_one(number, body, marketing=marketing)

    def _loyalty_dispatcher(self, not_after=None):
        """A parallel sender over this gateway's adapter (see
        :class:`LoyaltySmsDispatcher`); close it (``with``) when done."""
        self.ensure_one()
        return LoyaltySmsDispatcher(
            self._loyalty_provider(),
            max_in_flight=self.max_in_flight,
            rate_limit=self.rate_limit,
            not_after=not_after,
        )

    def _loyalty_provider(self):
        """The adapter of this gateway (settings read as superuser: sending is
        allowed to everyone, reading the secrets only to administrators)."""
        self.ensure_one()
        gateway = self.sudo()
        return PROVIDERS[gateway.provider](
            {
                "endpoint_url": gateway.endpoint_url,
                "api_key": gateway.api_key,
                "username": gateway.username,
                "sender": gateway.sender,
                "status_url": gateway._loyalty_status_url(),
                "callback_token": gateway.callback_token,
                "timeout": gateway.timeout,
            }
        )

    def _loyalty_verify_report(self, params, form, headers):
        """True when a delivery report comes from the provider: Twilio signs
        it (X-Twilio-Signature over the URL and the POST parameters), the
        others carry the gateway's secret token in the URL."""
        self.ensure_one()
        gateway = self.sudo()
        if gateway.provider == "twilio":
            return gateway._loyalty_provider().verify_report(
                gateway._loyalty_status_url(), form, headers
            )
        token = params.pop("token", None) or ""
        return bool(token) and hmac.compare_digest(token, gateway.callback_token or "")

    def _loyalty_apply_report(self, params):
        """Update the message a delivery report is about.

        :return: False when the report cannot be understood.
        """
        self.ensure_one()
        provider = self._loyalty_provider()
        reference, provider_ref, status = provider.parse_report(params)
        state = provider.report_state(status)
        if not state or not (reference or provider_ref):
            return False
        domain = [("loyalty_company_id", "=", self.company_id.id)]
        if reference:
            domain.append(("uuid", "=", reference))
        else:
            domain.append(("loyalty_provider_ref", "=", str(provider_ref)))
        # sudo: reports arrive anonymously, after the checks of the controller.
        sms = self.env["sms.sms"].sudo().search(domain)
        if sms:
            sms._update_sms_state_and_trackers(state[0], failure_type=state[1])
        return True

    def _loyalty_status_url(self):
        """Where the provider posts its delivery reports; unsigned providers
        authenticate with the secret token."""
        self.ensure_one()
        path = f"/loyalty_sms/status/{self.provider}/{self.id}"
        if self.provider != "twilio":
            path += f"?token={self.sudo().callback_token}"
        return urljoin(self.get_base_url(), path)
