# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import requests

from odoo.addons.sms.tools.sms_api import SmsApiBase


class LoyaltySmsApi(SmsApiBase):
    """Odoo's SMS API (the hook ``sms_twilio`` uses) over a
    ``loyalty.sms.gateway``: ``sms.sms`` hands it batches, it answers one
    result per message.

    Messages the gateway could not take *now* (unreachable, timeout, HTTP
    5xx) are not answered: they are kept in :attr:`transient_results` and
    ``sms.sms`` schedules their retry, so they stay in the queue.
    """

    PROVIDER_TO_SMS_FAILURE_TYPE = SmsApiBase.PROVIDER_TO_SMS_FAILURE_TYPE | {
        "insufficient_credit": "sms_credit",
        "unregistered": "sms_acc",
        "country_not_supported": "sms_country_not_supported",
        "duplicate_message": "sms_duplicate",
    }

    def __init__(self, env, account=None):
        super().__init__(env, account=account)
        self.transient_results = []

    @property
    def gateway(self):
        return self.company._loyalty_sms_gateway()

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        provider = self.gateway._loyalty_provider()
        results = []
        with requests.Session() as session:
            for message in messages:
                for number in message.get("numbers") or []:
                    result = provider.send(
                        session,
                        number["number"],
                        message.get("content") or "",
                        number["uuid"],
                    )
                    result["uuid"] = number["uuid"]
                    if result.pop("transient", False):
                        self.transient_results.append(result)
                    else:
                        results.append(result)
        return results
