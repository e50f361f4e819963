# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.http import request, route

from odoo.addons.loyalty_wallet.controllers.portal import LoyaltyPortal


class LoyaltyCouponPortal(LoyaltyPortal):
    def _loyalty_page_values(self, page):
        values = super()._loyalty_page_values(page)
        partner = values["loyalty_partner"]
        company = request.env.company
        # The record rule already limits portal users to their own coupons.
        coupons = request.env["loyalty.card"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("loyalty_conversion_id", "!=", False),
            ],
            order="create_date desc, id desc",
        )
        new_coupon_id = request.httprequest.args.get("coupon", type=int)
        values.update(
            {
                "loyalty_coupons": coupons,
                "loyalty_coupon_new": coupons.filtered(lambda c: c.id == new_coupon_id),
                "loyalty_coupon_company": company,
                # Points still pending (the return window) cannot be converted.
                "loyalty_coupon_points_missing": max(
                    company.loyalty_coupon_min_points
                    - partner.loyalty_points_available,
                    0.0,
                ),
                "loyalty_coupon_denominations": [
                    (value, company._loyalty_coupon_points_for(value))
                    for value in company._loyalty_coupon_denomination_list()
                ],
            }
        )
        return values

    @route(
        "/my/loyalty/convert",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_loyalty_convert(self, points=None, **kw):
        """Convert the logged-in customer's own points (never anyone else's:
        the customer is the user's, whatever the form says)."""
        partner = request.env.user.partner_id.commercial_partner_id
        try:
            card = partner.loyalty_convert_points(self._loyalty_coupon_parse(points))
        except (UserError, AccessError) as error:
            # Nothing was written: loyalty_convert_points rolled back its savepoint.
            values = self._prepare_portal_layout_values()
            values.update(self._loyalty_page_values(1))
            values["loyalty_coupon_error"] = error.args[0]
            return request.render("loyalty_wallet.portal_my_loyalty", values)
        return request.redirect(f"/my/loyalty?coupon={card.id}")

    def _loyalty_coupon_parse(self, points):
        try:
            return float(points)
        except (TypeError, ValueError):
            raise UserError(
                request.env._("Please enter the number of points to convert.")
            ) from None
