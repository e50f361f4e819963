# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    # The daily booking job looks for the lines that redeemed a coupon: a
    # few among all the lines ever sold.
    _loyalty_coupon_lines_idx = models.Index("(coupon_id) WHERE coupon_id IS NOT NULL")
