# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _add_missing_default_values(self, values):
        # A variant created directly hands its template the defaults it
        # computed, the sales taxes with them: a top-up takes none.
        return self.env["product.template"]._loyalty_without_default_taxes(
            values, super()._add_missing_default_values(values)
        )
