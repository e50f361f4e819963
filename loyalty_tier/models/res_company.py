# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_tier_risk_days = fields.Integer(
        string="Warn Members Days Before a Downgrade",
        default=7,
        help="The nightly review warns members (the tier_at_risk event, an "
        "SMS with its rule) this many days before their tier lapses, once per "
        "retention period; 0 never warns.",
    )
    loyalty_tier_ids = fields.One2many("loyalty.tier", "company_id", string="Tiers")
    loyalty_has_tiers = fields.Boolean(
        string="Has Active Tiers",
        compute="_compute_loyalty_has_tiers",
        store=True,
        help="Whether the company has an active tier: every paid order asks, "
        "and a shop without tiers reads none.",
    )

    # Stored with the tiers, not cached per registry: a cache filled by a
    # request whose snapshot predates a new tier would keep "no tiers" (and
    # skip the tier's cashback) until something else cleared it; a column
    # changes with the transaction that changes the tiers.
    @api.depends("loyalty_tier_ids.active")
    def _compute_loyalty_has_tiers(self):
        for company in self:
            company.loyalty_has_tiers = bool(
                company.with_context(active_test=True).loyalty_tier_ids
            )

    def _loyalty_cashback_offers(self, partner, date):
        offers = super()._loyalty_cashback_offers(partner, date)
        if not self.loyalty_cashback_active:
            return offers
        tier = self._loyalty_active_tier_of(partner)
        if tier.cashback_percent:
            offers.append(tier._loyalty_cashback_offer())
        return offers

    def _loyalty_points_multipliers(self, partner, date):
        multipliers = super()._loyalty_points_multipliers(partner, date)
        tier = self._loyalty_active_tier_of(partner)
        if tier.points_multiplier > 0:
            multipliers.append(tier.points_multiplier)
        return multipliers

    def _loyalty_active_tier_of(self, partner):
        """The tier ``partner`` holds in this company if it is active (an
        archived tier pays nothing); nothing read when the company has no
        active tier, as on every sale of a shop without tiers."""
        self.ensure_one()
        if not self.env["loyalty.tier"]._loyalty_company_has_tiers(self.id):
            return self.env["loyalty.tier"]
        return self._loyalty_tier_of(partner).filtered("active")

    # An archived tier pays nothing (its members are moved when it is
    # archived; this guards the moment in between and stale data).
    def _loyalty_tier_of(self, partner):
        """The tier ``partner`` holds in this company."""
        self.ensure_one()
        # Without prefetching: reading one company-dependent field would fetch
        # every property of the partner, on the POS hot path.
        return (
            partner.commercial_partner_id.with_company(self)
            .with_context(prefetch_fields=False)
            .loyalty_tier_id
        )
