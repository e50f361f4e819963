# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class LoyaltySmsBroadcast(models.TransientModel):
    """Send one SMS to a selection of members through Odoo's mass SMS
    composer (opt-outs, duplicates and invalid numbers handled by it), shown
    with the number of recipients and a preview first."""

    _name = "loyalty.sms.broadcast"
    _description = "Loyalty SMS Broadcast"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    has_tiers = fields.Boolean(compute="_compute_has_tiers")
    tier = fields.Selection(
        selection="_selection_tier",
        help="Only the members of this tier (when the Loyalty Tiers addon is "
        "installed).",
    )
    min_points = fields.Float(
        string="At Least (points)",
        digits="Loyalty Points",
        help="Only the members with at least this many points; 0 = no minimum.",
    )
    template_id = fields.Many2one(
        "sms.template",
        domain="[('model', '=', 'res.partner')]",
    )
    body = fields.Text(
        required=True,
        compute="_compute_body",
        store=True,
        readonly=False,
        help="Accepts Odoo's {{ }} expressions and @name @totalcredit "
        "@totalpoints @tier @shop...",
    )
    recipient_count = fields.Integer(compute="_compute_recipients", string="Recipients")
    preview = fields.Text(compute="_compute_recipients")

    @api.model
    def _selection_tier(self):
        if "loyalty.tier" not in self.env:
            return []
        return [
            (str(tier.id), tier.display_name)
            for tier in self.env["loyalty.tier"].search([])
        ]

    def _compute_has_tiers(self):
        self.has_tiers = "loyalty_tier_id" in self.env["res.partner"]._fields

    @api.depends("template_id")
    def _compute_body(self):
        for wizard in self:
            if wizard.template_id:
                wizard.body = wizard.template_id.body

    @api.depends("tier", "min_points", "body", "company_id")
    def _compute_recipients(self):
        for wizard in self:
            partners = wizard._loyalty_recipients()
            wizard.recipient_count = len(partners)
            wizard.preview = (
                wizard._loyalty_preview(partners[:1]) if partners else False
            )

    def action_send(self):
        self.ensure_one()
        partners = self._loyalty_recipients()
        if not partners:
            raise UserError(self.env._("No member matches this selection."))
        composer = (
            self.env["sms.composer"]
            .with_company(self.company_id)
            .with_context(loyalty_sms_variables=True, loyalty_sms_marketing=True)
            .create(
                {
                    "composition_mode": "mass",
                    "res_model": "res.partner",
                    "res_ids": repr(partners.ids),
                    "body": self.body,
                    "mass_keep_log": True,
                }
            )
        )
        sms = composer._action_send_sms()
        # sudo: the composer's messages are created as superuser; marking them
        # as the club's lets the Loyalty Manager follow them in the queue.
        sms.sudo().loyalty_broadcast = True
        queued = len(sms.filtered(lambda message: message.state == "outgoing"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(queued)s SMS queued for %(count)s members.",
                    queued=queued,
                    count=len(partners),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _loyalty_recipients(self):
        self.ensure_one()
        domain = [("loyalty_member", "=", True)]
        if self.tier and self.has_tiers:
            domain.append(("loyalty_tier_id", "=", int(self.tier)))
        if self.min_points:
            domain.append(("loyalty_points", ">=", self.min_points))
        return (
            self.env["res.partner"]
            .with_company(self.company_id)
            .search(domain, order="id")
        )

    def _loyalty_preview(self, partner):
        if not self.body:
            return False
        body = self.env["mail.render.mixin"]._render_template(
            self.body, "res.partner", partner.ids
        )[partner.id]
        rules = self.env["loyalty.sms.rule"].with_context(
            lang=partner._loyalty_sms_lang()
        )
        return rules._loyalty_substitute(
            body,
            rules._loyalty_variables(
                partner, self.company_id, self.env["loyalty.transaction"], {}
            ),
        )
