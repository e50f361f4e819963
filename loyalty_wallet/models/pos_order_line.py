# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    loyalty_wallet_unit_share = fields.Float(
        string="Wallet Share per Unit",
        compute="_compute_loyalty_unit_shares",
        digits=0,
        help="What of one unit of this line the order paid with wallet credit "
        "(its share of the wallet payment): a return of the unit gives it back "
        "to the wallet.",
    )
    loyalty_points_unit_share = fields.Float(
        string="Points Share per Unit",
        compute="_compute_loyalty_unit_shares",
        digits=0,
        help="What of one unit of this line the order paid with points, in money.",
    )

    loyalty_signed_amount = fields.Float(
        compute="_compute_loyalty_signed_amount",
        help="The line's amount, taxes included, negative for a returned line "
        "(Odoo stores the lines of a refund order, made at the till or with "
        "Return Products, signed by the order: a returned line positive).",
    )

    @api.depends("price_subtotal_incl", "order_id.is_refund")
    def _compute_loyalty_signed_amount(self):
        # As core signs refund orders (``is_refund``): not by the quantity, so
        # a discount line (a negative price sold once) stays negative.
        for line in self:
            sign = -1 if line.order_id.is_refund else 1
            line.loyalty_signed_amount = sign * line.price_subtotal_incl

    @api.depends("qty", "price_subtotal_incl", "order_id.payment_ids.amount")
    def _compute_loyalty_unit_shares(self):
        spent = self.order_id._loyalty_spent_quantities()
        for line in self:
            line.loyalty_wallet_unit_share = line._loyalty_unit_share("wallet", spent)
            line.loyalty_points_unit_share = line._loyalty_unit_share("points", spent)

    def _loyalty_unit_share(self, kind, spent=None):
        """Money of one unit of this sold line paid with ``kind``: the line's
        part, pro rata of its amount among the order's sold lines, of what the
        ledger says the order spent of ``kind`` (an exchange's returned lines
        paid nothing; points at the value they were paid at)."""
        self.ensure_one()
        order = self.order_id
        if self.refunded_orderline_id or self.qty <= 0 or not order.id:
            return 0.0
        if spent is None:
            spent = order._loyalty_spent_quantities()
        quantity = spent.get((order.id, kind), 0.0)
        if quantity <= 0:
            return 0.0
        sold = order.lines.filtered(lambda line: not line.refunded_orderline_id)
        total = sum(sold.mapped("loyalty_signed_amount"))
        if total <= 0:
            return 0.0
        share = quantity * self.loyalty_signed_amount / (total * self.qty)
        paid_at = order._loyalty_paid_point_value(spent) if kind == "points" else None
        return order._loyalty_quantity_to_money(kind, share, paid_at)

    @api.model
    def _load_pos_data_fields(self, config):
        return [
            *super()._load_pos_data_fields(config),
            "loyalty_wallet_unit_share",
            "loyalty_points_unit_share",
        ]
