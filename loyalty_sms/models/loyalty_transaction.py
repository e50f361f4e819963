# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class LoyaltyTransaction(models.Model):
    _inherit = "loyalty.transaction"

    @api.model
    def _loyalty_description_templates(self):
        return {
            **super()._loyalty_description_templates(),
            "birthday": _lt("Birthday bonus %s"),
            "anniversary": _lt("Wedding anniversary bonus %s"),
        }
