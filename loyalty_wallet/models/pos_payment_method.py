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

    @api.model_create_multi
    def create(self, vals_list):
        methods = super().create(vals_list)
        methods._loyalty_use_wallet_account()
        return methods

    def write(self, vals):
        res = super().write(vals)
        if {"loyalty_payment", "journal_id", "outstanding_account_id"} & set(vals):
            self._loyalty_use_wallet_account()
        return res

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "loyalty_payment"]

    def _loyalty_use_wallet_account(self):
        """Book what loyalty methods collect on the company's wallet liability
        account: at session closing, the payment of a bank-type method moves
        the till's receivable to the method's outstanding account, so the
        wallet is debited instead of a bank account."""
        for method in self.filtered(lambda m: m.loyalty_payment and m.journal_id):
            account = method.company_id.loyalty_wallet_account_id
            if account and method.outstanding_account_id != account:
                method.outstanding_account_id = account
