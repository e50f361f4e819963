# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount, formatLang


class ResPartner(models.Model):
    _inherit = "res.partner"

    loyalty_coupon_count = fields.Integer(
        string="Coupons", compute="_compute_loyalty_coupon_count"
    )

    def _compute_loyalty_coupon_count(self):
        counts = dict(
            self.env["loyalty.card"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("loyalty_conversion_id", "!=", False),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.loyalty_coupon_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_loyalty_coupons(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loyalty_coupon.action_loyalty_coupon"
        )
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("loyalty_conversion_id", "!=", False),
        ]
        return action

    def action_loyalty_coupon_convert(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loyalty_coupon.action_loyalty_coupon_convert_wizard"
        )
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------------
    # Public API (RPC-callable: rights are checked here)
    # ------------------------------------------------------------------

    def loyalty_convert_points(self, points):
        """Turn ``points`` of the customer into a new coupon (a native
        ``loyalty.card`` of the company's gift card program) and return it.

        Allowed to Loyalty Users and cashiers for any customer, and to any
        user (a portal customer) for their own points. The coupon is created
        and the points are spent through the ledger (a ``convert`` movement
        linked to the coupon) inside one savepoint: when anything fails,
        neither exists, even if the caller catches the error. Two conversions
        of one customer are serialised by the ledger's lock on the partner.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        partner._loyalty_coupon_check_convert_rights()
        company = self.env.company
        points = company._loyalty_round("points", points)
        value = company._loyalty_coupon_check_conversion(partner, points)
        # sudo: rights were checked above; cashiers and customers may neither
        # create coupons nor post ledger movements themselves.
        partner_su = partner.sudo()
        with self.env.cr.savepoint():
            card = (
                self.env["loyalty.card"]
                .sudo()
                .create(
                    {
                        "program_id": company._loyalty_coupon_program().id,
                        "partner_id": partner.id,
                        "points": value,
                        "expiration_date": company._loyalty_coupon_expiration_date(),
                    }
                )
            )
            row = partner_su._loyalty_spend(
                "points",
                points,
                operation="convert",
                source=card,
                purpose="convert",
                company=company,
                description_code="coupon",
                description_params={
                    "code": card.code,
                    "value": format_amount(self.env, value, company.currency_id),
                },
            )
            card.loyalty_conversion_id = row
            # The issue line of the card's native history; with it, the POS
            # does not take the first order that redeems the coupon for the
            # one that issued it.
            self.env["loyalty.history"].sudo().create(
                {
                    "card_id": card.id,
                    "order_model": row._name,
                    "order_id": row.id,
                    "description": self.env._(
                        "Converted from %s points", formatLang(self.env, points)
                    ),
                    "issued": value,
                }
            )
        partner_su._loyalty_notify("coupon_issued", row, partner=partner, card=card)
        return card.sudo(False)

    # ------------------------------------------------------------------
    # Ledger events
    # ------------------------------------------------------------------

    def _loyalty_notify(self, event, transactions, **values):
        res = super()._loyalty_notify(event, transactions, **values)
        if event == "coupon_expiring":
            values["card"]._loyalty_coupon_mail_reminder()
        return res

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _loyalty_coupon_check_convert_rights(self):
        self.ensure_one()
        user = self.env.user
        if (
            self.env.is_superuser()
            or user.has_group("loyalty_wallet.group_loyalty_user")
            or user.has_group("point_of_sale.group_pos_user")
            or user.partner_id.commercial_partner_id == self.commercial_partner_id
        ):
            return
        raise AccessError(
            self.env._("You can only convert your own points into a coupon.")
        )
