# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _frontend_pre_dispatch(cls):
        """A signed-in customer reads the portal in their contact's language,
        not in the one the browser asked for on the login page (which the
        ``frontend_lang`` cookie then keeps); a language chosen in the URL
        (``/fa/my``...) still wins."""
        lang = cls._loyalty_customer_lang()
        if lang and lang != request.lang.code:
            request.lang = request.env["res.lang"]._get_data(code=lang)
        return super()._frontend_pre_dispatch()

    @classmethod
    def _loyalty_customer_lang(cls):
        user = request.env.user
        if not user or user._is_public() or cls._loyalty_url_lang():
            return None
        return request.env["ir.http"].get_nearest_lang(user.partner_id.lang)

    @classmethod
    def _loyalty_url_lang(cls):
        """The language code the requested URL starts with, if any (the
        original URI: a language prefix is removed by rerouting)."""
        environ = request.httprequest.environ
        uri = environ.get("REQUEST_URI") or environ.get("PATH_INFO") or ""
        first = uri.split("?", 1)[0].strip("/").split("/", 1)[0]
        if not first:
            return None
        return request.env["res.lang"]._get_data(url_code=first).code or None
