# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import format_loyalty_amount


class LoyaltyPortal(CustomerPortal):
    _loyalty_items_per_page = 50

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "loyalty_count" in counters:
            values["loyalty_count"] = request.env["loyalty.transaction"].search_count(
                self._loyalty_domain()
            )
        return values

    def _loyalty_domain(self):
        # The record rule already limits portal users to their own movements;
        # the explicit domain also keeps internal users to their own log here.
        partner = request.env.user.partner_id.commercial_partner_id
        return [
            ("partner_id", "=", partner.id),
            ("company_id", "=", request.env.company.id),
        ]

    def _loyalty_page_values(self, page):
        Transaction = request.env["loyalty.transaction"]
        domain = self._loyalty_domain()
        pager = portal_pager(
            url="/my/loyalty",
            total=Transaction.search_count(domain),
            page=page,
            step=self._loyalty_items_per_page,
        )
        partner = request.env.user.partner_id.commercial_partner_id
        return {
            "page_name": "loyalty",
            "pager": pager,
            "loyalty_partner": partner,
            "loyalty_currency": request.env.company.currency_id,
            "loyalty_format_points": Transaction._loyalty_format_points,
            # Jalali for Persian readers, like the dates of the movements.
            "loyalty_format_date": Transaction._loyalty_format_date,
            # Rial or toman for IRR shops: the one formatter of club amounts.
            "loyalty_format_amount": lambda amount: format_loyalty_amount(
                request.env, amount, request.env.company
            ),
            "loyalty_transactions": Transaction.search(
                domain, limit=self._loyalty_items_per_page, offset=pager["offset"]
            ),
            # Soon = within the company's reminder days, not any dated lot.
            "loyalty_next_expiries": Transaction.search(
                domain + [("expiring_soon", "=", True)],
                order="expiration_date, id",
                limit=5,
            ),
        }

    @route(
        ["/my/loyalty", "/my/loyalty/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_loyalty(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._loyalty_page_values(page))
        return request.render("loyalty_wallet.portal_my_loyalty", values)
