# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class LoyaltyTransaction(models.Model):
    _inherit = "loyalty.transaction"

    @api.model
    def _loyalty_offer_models(self):
        # A cashback earned under a tier names the tier in the reader's language.
        return (*super()._loyalty_offer_models(), "loyalty.tier")
