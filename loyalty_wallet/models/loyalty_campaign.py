# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class LoyaltyCampaign(models.Model):
    """A time-boxed promotion (festival) that raises cashback or multiplies
    points. Campaigns compete with the base rate: the best offer wins."""

    _name = "loyalty.campaign"
    _description = "Loyalty Campaign"
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(required=True, default=fields.Date.context_today)
    date_end = fields.Date(required=True)
    cashback_percent = fields.Float(
        digits="Loyalty Points",
        help="Cashback percentage offered while the campaign runs.",
    )
    cashback_max_amount = fields.Monetary(
        string="Cashback Cap per Order",
        help="Most cashback one order can earn from this campaign; 0 means no cap.",
    )
    points_multiplier = fields.Float(
        default=1.0,
        digits="Loyalty Points",
        help="Points earned while the campaign runs are multiplied by this.",
    )
    topup_bonus_percent = fields.Float(
        string="Top-up Bonus (%)",
        digits="Loyalty Points",
        help="Extra wallet credit given on a wallet top-up bought at the till "
        "while the campaign runs: 10 means paying 1,000,000 credits 1,100,000. "
        "With several campaigns, the largest bonus applies.",
    )
    note = fields.Text()

    _date_range_idx = models.Index("(company_id, date_start, date_end) WHERE active")

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for campaign in self:
            if campaign.date_end < campaign.date_start:
                raise ValidationError(
                    self.env._(
                        "The campaign %s cannot end before it starts.", campaign.name
                    )
                )

    @api.constrains(
        "cashback_percent",
        "cashback_max_amount",
        "points_multiplier",
        "topup_bonus_percent",
    )
    def _check_values(self):
        for campaign in self:
            if not 0 <= campaign.topup_bonus_percent <= 100:
                raise ValidationError(
                    self.env._("The top-up bonus must be between 0 and 100 percent.")
                )
            if not 0 <= campaign.cashback_percent <= 100:
                raise ValidationError(
                    self.env._("The cashback percentage must be between 0 and 100.")
                )
            if campaign.cashback_max_amount < 0 or campaign.points_multiplier < 0:
                raise ValidationError(
                    self.env._("A campaign's cap and multiplier cannot be negative.")
                )

    # What runs is cached under the setup stamp (see res.company).
    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._loyalty_setup_changed()
        return super().create(vals_list)

    def write(self, vals):
        self.env["res.company"]._loyalty_setup_changed()
        return super().write(vals)

    def unlink(self):
        self.env["res.company"]._loyalty_setup_changed()
        return super().unlink()

    @api.model
    def _loyalty_running(self, company, date):
        """Campaigns of ``company`` running on ``date`` (a date, or a datetime
        taken on the shop's calendar)."""
        day = company._loyalty_local_date(date)
        return self.browse(
            self._loyalty_running_ids(
                company.id, day, self.env["res.company"]._loyalty_setup_key()
            )
        )

    @api.model
    @tools.ormcache("company_id", "day", "setup_key")
    def _loyalty_running_ids(self, company_id, day, setup_key):
        # Cached: every paid order asks, campaigns change a few times a year
        # (setup_key: see res.company._loyalty_setup_changed).
        # sudo: which campaigns run is not a secret of the user who sells.
        return tuple(
            self.sudo()
            .search(
                [
                    ("company_id", "=", company_id),
                    ("date_start", "<=", day),
                    ("date_end", ">=", day),
                ]
            )
            .ids
        )

    def _loyalty_cashback_offer(self):
        self.ensure_one()
        return {
            "label": self.name,
            # the description names the campaign in the reader's language
            "ref": f"{self._name},{self.id}",
            "type": "percent",
            "value": self.cashback_percent,
            "cap": self.cashback_max_amount,
            "min_amount": 0.0,
        }

    @api.model
    def _loyalty_topup_bonus_percent(self, company, date):
        """The best top-up bonus of the campaigns running on ``date``."""
        return max(
            self._loyalty_running(company, date).mapped("topup_bonus_percent") or [0.0]
        )
