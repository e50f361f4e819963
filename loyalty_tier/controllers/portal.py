# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request

from odoo.addons.loyalty_wallet.controllers.portal import LoyaltyPortal


class LoyaltyTierPortal(LoyaltyPortal):
    def _loyalty_page_values(self, page):
        values = super()._loyalty_page_values(page)
        partner = values["loyalty_partner"].with_company(request.env.company)
        # sudo: portal users may not read tiers; the member sees the name of
        # their own tier only.
        values.update(
            loyalty_tier=partner.sudo().loyalty_tier_id,
            loyalty_tier_progress=partner.loyalty_tier_progress,
            loyalty_tier_progress_percent=partner.loyalty_tier_progress_percent,
        )
        return values
