# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    loyalty_no_reward = fields.Boolean(
        string="No Cashback or Points",
        help="Sales of products of this category (and of its sub-categories) "
        "earn neither cashback nor points.",
    )

    def _loyalty_excludes_rewards(self):
        """Whether this category or one of its parents is marked "no cashback
        or points" (``parent_path`` holds the ids of the whole branch); a
        product's category is optional: none excludes nothing."""
        if not self:
            return False
        self.ensure_one()
        branch = [int(cid) for cid in (self.parent_path or "").split("/") if cid]
        # sudo: a cashier or an accountant selling may not read categories
        # of other apps; only the flag is read.
        return any(self.sudo().browse(branch or self.ids).mapped("loyalty_no_reward"))
