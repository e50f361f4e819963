# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

LOYALTY_MANAGER = "loyalty_wallet.group_loyalty_manager"
LOYALTY_ACCOUNTING_FIELDS = {
    "loyalty_wallet_account_id",
    "loyalty_cashback_expense_account_id",
    "loyalty_expired_income_account_id",
    "loyalty_debt_account_id",
    "loyalty_journal_id",
    "loyalty_book_points",
    "loyalty_coupon_account_id",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_cashback_active = fields.Boolean(
        related="company_id.loyalty_cashback_active", readonly=False
    )
    loyalty_cashback_type = fields.Selection(
        related="company_id.loyalty_cashback_type", readonly=False
    )
    loyalty_cashback_value = fields.Float(
        related="company_id.loyalty_cashback_value", readonly=False
    )
    loyalty_cashback_min_amount = fields.Monetary(
        related="company_id.loyalty_cashback_min_amount", readonly=False
    )
    loyalty_cashback_max_amount = fields.Monetary(
        related="company_id.loyalty_cashback_max_amount", readonly=False
    )
    loyalty_cashback_exclude_loyalty_payments = fields.Boolean(
        related="company_id.loyalty_cashback_exclude_loyalty_payments", readonly=False
    )
    loyalty_refund_to_wallet_only = fields.Boolean(
        related="company_id.loyalty_refund_to_wallet_only", readonly=False
    )
    loyalty_points_active = fields.Boolean(
        related="company_id.loyalty_points_active", readonly=False
    )
    loyalty_points_step_amount = fields.Monetary(
        related="company_id.loyalty_points_step_amount", readonly=False
    )
    loyalty_points_per_step = fields.Float(
        related="company_id.loyalty_points_per_step", readonly=False
    )
    loyalty_points_per_order = fields.Float(
        related="company_id.loyalty_points_per_order", readonly=False
    )
    loyalty_points_signup = fields.Float(
        related="company_id.loyalty_points_signup", readonly=False
    )
    loyalty_points_validity_days = fields.Integer(
        related="company_id.loyalty_points_validity_days", readonly=False
    )
    loyalty_wallet_validity_days = fields.Integer(
        related="company_id.loyalty_wallet_validity_days", readonly=False
    )
    loyalty_expiry_reminder_days = fields.Integer(
        related="company_id.loyalty_expiry_reminder_days", readonly=False
    )
    loyalty_pending_days = fields.Integer(
        related="company_id.loyalty_pending_days", readonly=False
    )
    loyalty_point_value = fields.Monetary(
        related="company_id.loyalty_point_value", readonly=False
    )
    loyalty_irr_display_unit = fields.Selection(
        related="company_id.loyalty_irr_display_unit", readonly=False
    )
    loyalty_company_currency_name = fields.Char(
        related="company_id.currency_id.name", string="Company Currency Code"
    )
    loyalty_auto_enroll = fields.Boolean(
        related="company_id.loyalty_auto_enroll", readonly=False
    )
    loyalty_wallet_account_id = fields.Many2one(
        related="company_id.loyalty_wallet_account_id", readonly=False
    )
    loyalty_cashback_expense_account_id = fields.Many2one(
        related="company_id.loyalty_cashback_expense_account_id", readonly=False
    )
    loyalty_expired_income_account_id = fields.Many2one(
        related="company_id.loyalty_expired_income_account_id", readonly=False
    )
    loyalty_debt_account_id = fields.Many2one(
        related="company_id.loyalty_debt_account_id", readonly=False
    )
    loyalty_journal_id = fields.Many2one(
        related="company_id.loyalty_journal_id", readonly=False
    )
    loyalty_book_points = fields.Boolean(
        related="company_id.loyalty_book_points", readonly=False
    )

    def action_loyalty_propose_accounts(self):
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(
                self.env._("Only accounting administrators set the loyalty accounts.")
            )
        self.company_id._loyalty_propose_accounts()
        return {"type": "ir.actions.client", "tag": "reload"}

    # ------------------------------------------------------------------
    # The Loyalty block for Loyalty Managers who are not administrators
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_settings_fields(self):
        """The settings of the club: every ``loyalty_*`` field related to the
        company (the four addons add theirs)."""
        names = {
            name
            for name, field in self._fields.items()
            if name.startswith("loyalty_")
            and field.related
            and field.related.startswith("company_id.")
        }
        if not self.env.user.has_group("account.group_account_manager"):
            # The accounting block is the accountants': a Loyalty Manager
            # cannot redirect the books.
            names -= LOYALTY_ACCOUNTING_FIELDS
        return names

    @api.model
    def _loyalty_is_club_manager_only(self):
        """A Loyalty Manager who is not a settings administrator: Odoo's
        settings are the administrators', the Loyalty block is the manager's."""
        return not self.env.is_admin() and self.env.user.has_group(LOYALTY_MANAGER)

    def _compute_display_name(self):
        if not self._loyalty_is_club_manager_only():
            return super()._compute_display_name()
        # Core names the form after its window action, and only administrators
        # may search window actions in Odoo 19: the settings page failed to
        # open for a Loyalty Manager. sudo: the action's name is all it reads.
        action = (
            self.env["ir.actions.act_window"]
            .sudo()
            .search([("res_model", "=", self._name)], limit=1)
        )
        for settings in self:
            settings.display_name = action.name or self._name

    @api.model
    def default_get(self, fields):
        if self._loyalty_is_club_manager_only():
            # Their access to this model is for the club's block: they read no
            # other setting (system parameters may hold other apps' secrets).
            allowed = self._loyalty_settings_fields() | {"company_id"}
            values = super().default_get([f for f in fields if f in allowed])
            return {fname: value for fname, value in values.items() if fname in allowed}
        return super().default_get(fields)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._loyalty_is_club_manager_only():
            return super().create(vals_list)
        # The form sends every field it shows; a Loyalty Manager's save keeps
        # the club's settings of their current company only, and applies them
        # as the related fields do for an administrator.
        allowed = self._loyalty_settings_fields()
        for vals in vals_list:
            if vals.get("company_id", self.env.company.id) != self.env.company.id:
                raise AccessError(
                    self.env._("You can only change the settings of your company.")
                )
            for fname in set(vals) - allowed:
                vals.pop(fname)
        # sudo: the user has no write access to the company; only the club's
        # fields of their current company are left in the values.
        records = super(ResConfigSettings, self.sudo()).create(vals_list)
        return records.sudo(False)

    def execute(self):
        if not self._loyalty_is_club_manager_only():
            return super().execute()
        # The club's fields were saved at create; Odoo's execute (modules,
        # groups, system parameters) is for administrators.
        self.ensure_one()
        self._loyalty_after_settings_saved()
        return {"type": "ir.actions.client", "tag": "reload"}

    def _loyalty_after_settings_saved(self):
        """Hook: what the loyalty addons do once the club's settings are saved
        (also run by ``set_values`` for administrators)."""
        return None

    def set_values(self):
        res = super().set_values()
        self._loyalty_after_settings_saved()
        return res
