# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    loyalty_topup = fields.Boolean(
        string="Wallet Top-up",
        help="Sold at the till, a line of this product credits its amount to the "
        "customer's wallet (plus the bonus of a running campaign). It earns no "
        "cashback nor points, and is booked on the wallet liability account "
        "when the company has one.",
    )
    loyalty_no_reward = fields.Boolean(
        string="No Cashback or Points",
        help="Sales of this product earn neither cashback nor points (gift "
        "cards, eWallet top-ups of other loyalty programs, tobacco, deposits...). "
        "A whole product category can be marked too.",
    )

    def _get_product_accounts(self):
        """A top-up is money the shop owes the customer, not revenue: its
        sales go to the company's wallet liability account when one is set."""
        accounts = super()._get_product_accounts()
        company = self.company_id or self.env.company
        if self.loyalty_topup and company.loyalty_wallet_account_id:
            accounts["income"] = company.loyalty_wallet_account_id
        return accounts

    def _loyalty_is_rewarded(self):
        """Whether a sale of this product counts in the earning base: neither
        the product nor its category (or a parent category) is marked "no
        cashback or points", and it is not a wallet top-up (a top-up earns its
        campaign bonus, never cashback)."""
        self.ensure_one()
        return not (
            self.loyalty_no_reward
            or self.loyalty_topup
            or self.categ_id._loyalty_excludes_rewards()
        )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "loyalty_topup"]
