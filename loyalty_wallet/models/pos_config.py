# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import ValidationError


class PosConfig(models.Model):
    _inherit = "pos.config"

    @api.constrains("payment_method_ids", "journal_id")
    def _check_loyalty_payment_currency(self):
        """Wallet credit and points are kept in the company's currency: a till
        selling in another currency cannot take them (it would spend 100 USD
        of credit for 100 EUR)."""
        for config in self:
            if config.currency_id == config.company_id.currency_id:
                continue
            if config.payment_method_ids.filtered("loyalty_payment"):
                raise ValidationError(
                    self.env._(
                        "The Point of Sale %(pos)s sells in %(currency)s: wallet "
                        "credit and points are kept in %(company_currency)s and "
                        "cannot be taken there. Remove its loyalty payment methods.",
                        pos=config.name,
                        currency=config.currency_id.name,
                        company_currency=config.company_id.currency_id.name,
                    )
                )
