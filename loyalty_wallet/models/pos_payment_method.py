# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    loyalty_payment = fields.Selection(
        [("wallet", "Wallet credit"), ("points", "Points")],
        help="Paying with this method spends the customer's wallet credit, or "
        "points converted at the company's point value. The server spends them "
        "when the order is synchronised.",
    )

    @api.constrains("loyalty_payment", "journal_id")
    def _check_loyalty_payment_not_cash(self):
        for method in self:
            if method.loyalty_payment and method.is_cash_count:
                raise ValidationError(
                    self.env._(
                        "The loyalty payment method %s cannot be a cash method.",
                        method.name,
                    )
                )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "loyalty_payment"]
