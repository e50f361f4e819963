# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from werkzeug.exceptions import BadRequest, Forbidden

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


class LoyaltySmsStatusController(http.Controller):
    """Delivery reports of the gateways: one URL per gateway, given to the
    provider (see the gateway's "Delivery Report URL")."""

    @http.route(
        "/loyalty_sms/status/<string:provider>/<int:gateway_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def loyalty_sms_status(self, provider, gateway_id, **params):
        # sudo: the provider is anonymous; it is authenticated below by its
        # signature (Twilio) or by the gateway's secret token.
        gateway = request.env["loyalty.sms.gateway"].sudo().browse(gateway_id).exists()
        if not gateway or not gateway.active or gateway.provider != provider:
            _logger.warning(
                "SMS delivery report for an unknown gateway %s/%s", provider, gateway_id
            )
            raise Forbidden()
        httprequest = request.httprequest
        if not gateway._loyalty_verify_report(
            params, httprequest.form.to_dict(), httprequest.headers
        ):
            _logger.warning(
                "SMS delivery report rejected (bad signature or token), gateway %s",
                gateway_id,
            )
            raise Forbidden()
        if httprequest.is_json:
            params.update(httprequest.get_json(silent=True) or {})
        if not gateway._loyalty_apply_report(params):
            raise BadRequest()
        return "OK"
