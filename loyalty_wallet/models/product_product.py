# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    def _add_missing_default_values(self, values):
        # A variant created directly hands its template the defaults it
        # computed, the sales taxes with them: a top-up takes none.
        return self.env["product.template"]._loyalty_without_default_taxes(
            values, super()._add_missing_default_values(values)
        )

    @api.onchange("loyalty_topup")
    def _onchange_loyalty_topup_clear_taxes(self):
        # the variant's form, as the template's (template onchanges don't run
        # on it)
        if self.loyalty_topup:
            self.taxes_id = False
