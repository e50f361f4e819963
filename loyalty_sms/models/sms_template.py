# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    loyalty_sms_rule_ids = fields.One2many(
        "loyalty.sms.rule",
        "template_id",
        string="Club SMS Rules",
        help="The customer club's rules that send this template; Loyalty "
        "Managers edit only the club's templates.",
    )
