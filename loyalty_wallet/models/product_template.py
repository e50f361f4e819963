# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError


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

    @api.model
    def _add_missing_default_values(self, values):
        return self._loyalty_without_default_taxes(
            values, super()._add_missing_default_values(values)
        )

    def write(self, vals):
        if vals.get("loyalty_topup"):
            # Made a top-up: its sales taxes go, in every company (see
            # _check_loyalty_topup_untaxed); taxes written with it are
            # checked. sudo: core gave a product without company the default
            # tax of every company, taxes the user may not even see.
            self.sudo().write({"taxes_id": [Command.clear()]})
        return super().write(vals)

    @api.model
    def _loyalty_without_default_taxes(self, given, completed):
        """``completed`` (the ``given`` values of a new product with their
        defaults) without the default sales taxes when it is a top-up (see
        _check_loyalty_topup_untaxed); taxes given explicitly stay, to be
        refused."""
        if completed.get("loyalty_topup") and "taxes_id" not in given:
            completed["taxes_id"] = [Command.clear()]
        return completed

    def _force_default_sale_tax(self, companies):
        # Core gives a product without company the default sales tax of every
        # other company; a top-up takes none.
        return super(
            ProductTemplate, self.filtered(lambda template: not template.loyalty_topup)
        )._force_default_sale_tax(companies)

    @api.constrains("loyalty_topup", "taxes_id")
    def _check_loyalty_topup_untaxed(self):
        """A top-up is a prepayment, not a sale: the wallet is credited what
        the customer pays, taxes included, while the sale books only the
        untaxed part on the wallet liability. Taxed, the liability would hold
        less than the wallets."""
        # sudo: the taxes of every company the product is sold in, not only
        # those the user's companies let them read; from the database, as
        # the cache holds what the writer could see.
        topups = self.sudo().filtered("loyalty_topup")
        topups.invalidate_recordset(["taxes_id"])
        for template in topups:
            if template.taxes_id:
                raise ValidationError(
                    self.env._(
                        "%(product)s is a wallet top-up: it cannot carry "
                        "customer taxes (%(taxes)s). A top-up is a prepayment; "
                        "the goods it pays for later are taxed when sold.",
                        product=template.display_name,
                        taxes=", ".join(template.taxes_id.mapped("name")),
                    )
                )

    @api.onchange("loyalty_topup")
    def _onchange_loyalty_topup_clear_taxes(self):
        """Marking a product as a top-up drops the sales taxes the form
        shows (see _check_loyalty_topup_untaxed)."""
        if self.loyalty_topup:
            self.taxes_id = False

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
