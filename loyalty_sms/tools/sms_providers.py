# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One small adapter per SMS provider, over ``requests``.

An adapter knows nothing of the ORM: it gets plain settings, sends one message
and answers a result dict understood by ``sms.sms._send_with_api``:

- ``state``: ``success`` or an error state (see
  ``LoyaltySmsApi.PROVIDER_TO_SMS_FAILURE_TYPE``);
- ``failure_reason``: what the provider said, for the manager;
- ``provider_ref``: the provider's id of the message (delivery reports);
- ``transient``: True when the gateway could not be reached or failed on its
  side (connection refused, timeout, HTTP 5xx/429, rate limits): the message is
  retried later, not before ``retry_after`` seconds when the provider says so.

Success is always decided from the response *body*: several providers report
errors inside an HTTP 200. No secret (API key, token, password) ever leaves an
adapter in a failure reason or a log line: :meth:`SmsProvider.mask` removes
them (Kavenegar even puts its key in the URL path, which ``requests`` quotes in
its exceptions).
"""

import base64
import hashlib
import hmac
import logging
import re
import uuid

import requests

from odoo.addons.phone_validation.tools import phone_validation

_logger = logging.getLogger(__name__)

# Seconds: a slow gateway must never hold the SMS queue long.
DEFAULT_TIMEOUT = 10


def _success(provider_ref=None):
    return {"state": "success", "failure_reason": False, "provider_ref": provider_ref}


def _failure(state, reason):
    return {"state": state, "failure_reason": reason or state}


def _transient(reason, retry_after=None):
    return {
        "state": "server_error",
        "failure_reason": reason,
        "transient": True,
        "retry_after": retry_after,
    }


def _uncertain(reason):
    """The request left but its answer did not come back, and the provider
    cannot deduplicate a second request: resending could deliver twice, so the
    message stops in a final state the shop can read (and retry by hand)."""
    return {"state": "loyalty_uncertain", "failure_reason": reason}


MASK = "***"
# Kavenegar's key is a path segment: hide it in the lines urllib3 logs
# ("POST /v1/<key>/sms/send.json") whatever the key is.
KEY_IN_PATH_RE = re.compile(r"(/v1/)[^/\s]+(/sms/)")


class SecretFilter(logging.Filter):
    """Masks the API key that Kavenegar-style URLs carry in their path in the
    debug lines of urllib3 (``connectionpool`` logs every request line)."""

    def filter(self, record):
        message = record.getMessage()
        masked = KEY_IN_PATH_RE.sub(rf"\g<1>{MASK}\g<2>", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(SecretFilter())


class SmsProvider:
    """Base adapter: the HTTP call, the transient-error policy, the parsing
    of the answer and of the delivery reports are specialised per provider."""

    code = None
    base_url = None
    # provider status of a delivery report -> (odoo sms state, failure_type)
    delivery_states = {}
    # True when the provider refuses a second message with the same client
    # reference: a message whose answer was lost can be sent again safely.
    idempotent = False
    # Seconds before the first retry of a transient failure (doubled at each
    # attempt) and attempts before the message fails for good.
    retry_delay = 60
    max_attempts = 5
    # settings that are secrets: never in a log line or a failure reason
    secret_settings = ("api_key", "callback_token")

    def __init__(self, settings):
        """:param settings: dict with ``endpoint_url``, ``api_key``,
        ``username``, ``sender`` and ``status_url`` (delivery report URL)."""
        self.settings = settings
        self.base = (settings.get("endpoint_url") or self.base_url or "").rstrip("/")
        self.timeout = settings.get("timeout") or DEFAULT_TIMEOUT

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def send(self, session, number, body, reference, marketing=False):
        """Send ``body`` to the E.164 ``number``; ``reference`` is the unique
        id of the message on our side (our ``sms.sms`` uuid); ``marketing``
        marks a commercial message (broadcasts, greetings) for the providers
        that filter those by the recipient's consent. Never raises."""
        try:
            result = self._send(session, number, body, reference, marketing)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # Whatever happened (a bug, a bad setting), the queue must go on;
            # we cannot know whether the request left.
            _logger.warning(
                "SMS gateway %s failed: %s", self.code, self.mask(repr(error))
            )
            result = self._lost_answer(repr(error))
        if result.get("failure_reason"):
            result["failure_reason"] = self.mask(result["failure_reason"])
        return result

    def _send(self, session, number, body, reference, marketing):
        try:
            response = self._request(
                session, number, body, reference, marketing=marketing
            )
        except requests.RequestException as error:
            if not self._never_sent(error):
                return self._lost_answer(str(error))
            _logger.info(
                "SMS gateway %s unreachable: %s", self.code, self.mask(str(error))
            )
            return _transient(str(error))
        if response.status_code in (429, 502, 503):
            # Refused before processing (rate limit, gateway down): retry.
            return _transient(
                f"HTTP {response.status_code}: {response.text[:200]}",
                self._retry_after(response),
            )
        if response.status_code >= 500:
            return self._lost_answer(
                f"HTTP {response.status_code}: {response.text[:200]}"
            )
        try:
            return self._parse_response(response)
        except ValueError as error:
            return self._lost_answer(
                f"unreadable answer ({error}): {response.text[:200]}"
            )

    def _lost_answer(self, reason):
        """The request may have reached the provider but we do not know what
        it did (read timeout, 5xx, unreadable answer): providers honouring our
        reference get it again (they deduplicate), the others are not resent
        blindly."""
        _logger.info(
            "SMS gateway %s: no usable answer: %s", self.code, self.mask(reason)
        )
        if self.idempotent:
            return _transient(reason)
        return _uncertain(reason)

    def send_one(self, number, body, marketing=False):
        """Send a single message outside of the queue (test button, codes)."""
        with requests.Session() as session:
            return self.send(session, number, body, uuid.uuid4().hex, marketing)

    def mask(self, text):
        """``text`` without any of the gateway's secrets."""
        text = str(text or "")
        for name in self.secret_settings:
            secret = self.settings.get(name)
            if secret and len(secret) >= 4:
                text = text.replace(secret, MASK)
        return KEY_IN_PATH_RE.sub(rf"\g<1>{MASK}\g<2>", text)

    @staticmethod
    def _never_sent(error):
        """True when the request certainly did not reach the provider (no
        connection could be made)."""
        if isinstance(error, requests.ConnectTimeout):
            return True
        return isinstance(error, requests.ConnectionError) and (
            "NewConnectionError" in repr(error.args)
            or "Failed to establish" in str(error)
        )

    @staticmethod
    def _retry_after(response):
        try:
            return max(int(response.headers.get("Retry-After") or 0), 0) or None
        except ValueError:
            return None

    def _request(self, session, number, body, reference, marketing=False):
        raise NotImplementedError()

    def _parse_response(self, response):
        raise NotImplementedError()

    # ------------------------------------------------------------------
    # Delivery reports
    # ------------------------------------------------------------------

    def verify_report(self, url, params, headers):
        """True when the delivery report is authentic. Providers that do not
        sign their callbacks are authenticated by the secret token in the URL
        (checked by the controller)."""
        return True

    def parse_report(self, params):
        """:return: ``(reference, provider_ref, provider_status)`` of a
        delivery report; one of the first two identifies the message."""
        raise NotImplementedError()

    def report_state(self, provider_status):
        """(odoo state, failure_type) for a delivery report status, or None
        when the status is unknown."""
        return self.delivery_states.get(str(provider_status))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _national_or_international(number, country_code):
        """The national number for ``country_code`` numbers ("09121234567"),
        else the international one with a 00 prefix."""
        data = phone_validation.phone_get_region_data_for_number(number)
        if data["code"] == country_code:
            return "0" + data["national_number"]
        return "00" + number.lstrip("+")

    @staticmethod
    def _json(response):
        try:
            return response.json()
        except (ValueError, requests.JSONDecodeError) as error:
            raise ValueError(str(error)) from error


class HttpProvider(SmsProvider):
    """The generic contract of DESIGN.md: ``POST endpoint_url`` with a bearer
    token and ``{"to", "text", "sender", "reference"}``; any 2xx is accepted.
    The receiving side deduplicates on ``reference``."""

    code = "http"
    idempotent = True
    delivery_states = {
        "queued": ("pending", False),
        "sent": ("pending", False),
        "delivered": ("sent", False),
        "failed": ("error", "sms_not_delivered"),
        "undelivered": ("error", "sms_not_delivered"),
        "expired": ("error", "sms_expired"),
    }

    def _request(self, session, number, body, reference, marketing=False):
        return session.post(
            self.base,
            json={
                "to": number,
                "text": body,
                "sender": self.settings.get("sender") or "",
                "reference": reference,
            },
            headers={"Authorization": f"Bearer {self.settings.get('api_key') or ''}"},
            timeout=self.timeout,
        )

    def _parse_response(self, response):
        if 200 <= response.status_code < 300:
            try:
                data = response.json()
            except ValueError:
                data = {}
            ref = data.get("id") if isinstance(data, dict) else None
            return _success(ref and str(ref))
        reason = f"HTTP {response.status_code}: {response.text[:200]}"
        if response.status_code in (401, 403):
            return _failure("unregistered", reason)
        if response.status_code == 402:
            return _failure("insufficient_credit", reason)
        return _failure("unknown", reason)

    def parse_report(self, params):
        return params.get("reference"), params.get("id"), params.get("status")


class KavenegarProvider(SmsProvider):
    """Kavenegar REST: ``POST /v1/{API-KEY}/sms/send.json`` with ``receptor``,
    ``message``, ``sender`` and ``localid`` (Kavenegar refuses a second
    message with the same ``localid``, so a retry cannot double-send)."""

    code = "kavenegar"
    base_url = "https://api.kavenegar.com"
    idempotent = True
    # entries[].status: 1 queued, 2 scheduled, 4/5 sent to the operator,
    # 6 failed, 10 delivered, 11 undelivered, 13 cancelled, 14 blocked.
    delivery_states = {
        "1": ("pending", False),
        "2": ("pending", False),
        "4": ("pending", False),
        "5": ("pending", False),
        "6": ("error", "sms_not_delivered"),
        "10": ("sent", False),
        "11": ("error", "sms_not_delivered"),
        "13": ("canceled", False),
        "14": ("error", "sms_rejected"),
    }
    FAILED_ENTRY_STATES = {6, 11, 13, 14, 100}
    ERRORS = {
        401: "unregistered",  # account disabled
        403: "unregistered",  # invalid API key
        407: "unregistered",  # access denied
        411: "wrong_number_format",  # invalid receptor
        412: "unregistered",  # invalid sender line
        416: "unregistered",  # IP not allowed
        418: "insufficient_credit",
    }

    def _request(self, session, number, body, reference, marketing=False):
        return session.post(
            f"{self.base}/v1/{self.settings.get('api_key') or ''}/sms/send.json",
            data={
                "receptor": self._national_or_international(number, "IR"),
                "message": body,
                "sender": self.settings.get("sender") or "",
                "localid": reference,
            },
            timeout=self.timeout,
        )

    def _parse_response(self, response):
        data = self._json(response)
        ret = data.get("return") or {}
        status = ret.get("status")
        if status == 409:  # "the server cannot answer, retry later"
            return _transient(ret.get("message"))
        if status != 200:
            reason = f"Kavenegar {status}: {ret.get('message')}"
            return _failure(self.ERRORS.get(status, "unknown"), reason)
        entry = (data.get("entries") or [{}])[0]
        if entry.get("status") in self.FAILED_ENTRY_STATES:
            return _failure("unknown", f"Kavenegar: {entry.get('statustext')}")
        return _success(str(entry.get("messageid") or "") or None)

    def parse_report(self, params):
        return None, params.get("messageid"), params.get("status")


class SmsirProvider(SmsProvider):
    """SMS.ir v1: ``POST /v1/send/bulk`` with header ``x-api-key`` and JSON
    ``{"lineNumber", "messageText", "mobiles", "sendDateTime"}``; every answer
    is ``{"status", "message", "data"}`` where only ``status == 1`` is a
    success (logical errors come with HTTP 400 or even 200). SMS.ir has no
    client reference: a retry after a lost answer may send twice."""

    code = "smsir"
    base_url = "https://api.sms.ir"
    # deliveryState of the report: 1 delivered, 2 not delivered, 3 at the
    # operator, 4 not sent to the operator, 5 sent to the operator, 6 failed,
    # 7 blacklisted.
    delivery_states = {
        "1": ("sent", False),
        "2": ("error", "sms_not_delivered"),
        "3": ("pending", False),
        "4": ("error", "sms_not_delivered"),
        "5": ("pending", False),
        "6": ("error", "sms_not_delivered"),
        "7": ("error", "sms_rejected"),
    }

    def _request(self, session, number, body, reference, marketing=False):
        sender = self.settings.get("sender") or "0"
        return session.post(
            f"{self.base}/v1/send/bulk",
            json={
                "lineNumber": int(sender) if sender.isdigit() else sender,
                "messageText": body,
                "mobiles": [self._national_or_international(number, "IR")],
                "sendDateTime": None,
            },
            headers={
                "x-api-key": self.settings.get("api_key") or "",
                "Accept": "application/json",
            },
            timeout=self.timeout,
        )

    def _parse_response(self, response):
        data = self._json(response)
        if data.get("status") == 1:
            ids = (data.get("data") or {}).get("messageIds") or []
            return _success(str(ids[0]) if ids else None)
        reason = f"SMS.ir {data.get('status')}: {data.get('message')}"
        if response.status_code == 401:
            return _failure("unregistered", reason)
        return _failure("unknown", reason)

    def parse_report(self, params):
        return None, params.get("messageId"), params.get("deliveryState")


class NetgsmProvider(SmsProvider):
    """Netgsm REST v2: ``POST /sms/rest/v2/send`` with basic auth (user code,
    password) and JSON ``{"msgheader", "encoding", "messages": [{"msg",
    "no"}]}``; the answer's ``code`` says the outcome ("00" = queued) even
    under HTTP 200. Netgsm takes no client reference: a request whose answer
    is lost is not resent (see ``_lost_answer``).

    Commercial messages (broadcasts, birthday and anniversary greetings) go
    with ``iysfilter`` so that Netgsm drops the recipients without consent in
    İYS (Turkey's commercial-message consent register); transactional ones
    (earned, spent, expiring, coupons) are sent without the filter."""

    code = "netgsm"
    base_url = "https://api.netgsm.com.tr"
    # 11: commercial message to individuals (12 would be to merchants).
    IYS_FILTER_COMMERCIAL = "11"
    # code -> seconds to wait: 80 = sending limit, 85 = more than 20 tasks to
    # the same number within a minute, 100/101 = Netgsm system errors.
    RETRY_CODES = {"80": 60, "85": 60, "100": None, "101": None}
    # report status: 0 pending, 1 delivered, 2 expired, 3 invalid number,
    # 4 not sent to the operator, 11 rejected, 12 delivery error, 13 duplicate,
    # 14 insufficient credit, 15 blacklisted.
    delivery_states = {
        "0": ("pending", False),
        "1": ("sent", False),
        "2": ("error", "sms_expired"),
        "3": ("error", "sms_invalid_destination"),
        "4": ("error", "sms_not_delivered"),
        "11": ("error", "sms_rejected"),
        "12": ("error", "sms_not_delivered"),
        "13": ("error", "sms_not_delivered"),
        "14": ("error", "sms_not_delivered"),
        "15": ("error", "sms_rejected"),
    }
    ERRORS = {
        "20": "unknown",  # message text problem / too long
        "30": "unregistered",  # wrong credentials or no API access
        "40": "unregistered",  # sender header not defined
        "50": "unregistered",  # IYS-controlled sending not allowed
        "51": "unregistered",  # no IYS brand
        "70": "unknown",  # invalid parameters
    }

    def _request(self, session, number, body, reference, marketing=False):
        payload = {
            "msgheader": self.settings.get("sender") or "",
            "encoding": "TR",
            "messages": [{"msg": body, "no": self._netgsm_number(number)}],
        }
        if marketing:
            payload["iysfilter"] = self.IYS_FILTER_COMMERCIAL
        return session.post(
            f"{self.base}/sms/rest/v2/send",
            json=payload,
            auth=(
                self.settings.get("username") or "",
                self.settings.get("api_key") or "",
            ),
            timeout=self.timeout,
        )

    def _parse_response(self, response):
        data = self._json(response)
        code = str(data.get("code"))
        if code == "00":
            return _success(str(data.get("jobid") or "") or None)
        reason = f"Netgsm {code}: {data.get('description')}"
        if code in self.RETRY_CODES:
            return _transient(reason, self.RETRY_CODES[code])
        return _failure(self.ERRORS.get(code, "unknown"), reason)

    @staticmethod
    def _netgsm_number(number):
        """Turkish numbers as 90XXXXXXXXXX, others with the 00 prefix of
        Netgsm's international sending."""
        digits = number.lstrip("+")
        return digits if digits.startswith("90") else "00" + digits

    def parse_report(self, params):
        return None, params.get("jobid"), params.get("status")


class TwilioProvider(SmsProvider):
    """Twilio Messages API: ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``
    with basic auth (account SID = ``username``, auth token = ``api_key``) and
    form fields ``To``, ``From``, ``Body``, ``StatusCallback``. Twilio offers no
    idempotency key for message creation."""

    code = "twilio"
    base_url = "https://api.twilio.com"
    delivery_states = {
        "accepted": ("pending", False),
        "queued": ("pending", False),
        "scheduled": ("pending", False),
        "sending": ("process", False),
        "sent": ("pending", False),
        "delivered": ("sent", False),
        "undelivered": ("error", "sms_not_delivered"),
        "failed": ("error", "sms_not_delivered"),
        "canceled": ("canceled", False),
    }
    ERRORS = {
        20003: "unregistered",  # authentication
        21211: "wrong_number_format",
        21265: "wrong_number_format",
        21614: "wrong_number_format",
        21604: "sms_number_missing",
        21603: "unregistered",  # missing From
        21606: "unregistered",  # From is not a Twilio number
        21608: "unregistered",  # trial account, unverified recipient
        21408: "country_not_supported",
    }

    def _request(self, session, number, body, reference, marketing=False):
        account = self.settings.get("username") or ""
        data = {"To": number, "From": self.settings.get("sender") or "", "Body": body}
        if self.settings.get("status_url"):
            data["StatusCallback"] = self.settings["status_url"]
        return session.post(
            f"{self.base}/2010-04-01/Accounts/{account}/Messages.json",
            data=data,
            auth=(account, self.settings.get("api_key") or ""),
            timeout=self.timeout,
        )

    def _parse_response(self, response):
        data = self._json(response)
        if response.ok and data.get("sid") and not data.get("error_code"):
            return _success(data["sid"])
        code = data.get("code") or data.get("error_code")
        reason = f"Twilio {code}: {data.get('message') or data.get('error_message')}"
        return _failure(self.ERRORS.get(code, "unknown"), reason)

    def signature(self, url, params):
        """X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + the POST
        parameters sorted by name, each as name + value))."""
        payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
        digest = hmac.new(
            (self.settings.get("api_key") or "").encode(),
            payload.encode(),
            hashlib.sha1,
        ).digest()
        return base64.b64encode(digest).decode()

    def verify_report(self, url, params, headers):
        given = headers.get("X-Twilio-Signature") or ""
        return bool(given) and hmac.compare_digest(self.signature(url, params), given)

    def parse_report(self, params):
        return None, params.get("MessageSid"), params.get("MessageStatus")


PROVIDERS = {
    provider.code: provider
    for provider in (
        HttpProvider,
        KavenegarProvider,
        SmsirProvider,
        NetgsmProvider,
        TwilioProvider,
    )
}
