# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class PosOrder(models.Model):
    _inherit = "pos.order"

    def action_pos_order_paid(self):
        """Spend and earn in the same transaction as the order becomes paid
        (``sync_from_ui`` and the backend payment wizard both come here), so an
        order synced twice or late, offline, is processed exactly once."""
        res = super().action_pos_order_paid()
        for order in self:
            order._loyalty_process_paid_order()
        return res

    def _loyalty_paid_amounts(self):
        """Money paid with each loyalty payment method, e.g. ``{"wallet": 85.0}``."""
        self.ensure_one()
        paid = {}
        for payment in self.payment_ids:
            kind = payment.payment_method_id.loyalty_payment
            if kind:
                paid[kind] = paid.get(kind, 0.0) + payment.amount
        return paid

    def _loyalty_money_to_quantity(self, kind, money):
        """What ``money`` paid with ``kind`` is in that kind's unit."""
        if kind == "points":
            return money / self.company_id.loyalty_point_value
        return money

    def _loyalty_process_paid_order(self):
        self.ensure_one()
        paid = self._loyalty_paid_amounts()
        partner = self.partner_id.commercial_partner_id
        if any(paid.values()) and not partner:
            raise UserError(
                self.env._(
                    "Order %s is paid with wallet credit or points but has no "
                    "customer: select the customer first.",
                    self.name,
                )
            )
        if self.refunded_order_id:
            self._loyalty_process_refund(paid)
            return
        for kind, money in paid.items():
            if money < 0:
                raise UserError(
                    self.env._(
                        "Only a refund can give money back to the wallet or points."
                    )
                )
            if money:
                partner._loyalty_spend(
                    kind,
                    self._loyalty_money_to_quantity(kind, money),
                    company=self.company_id,
                    source=self,
                    purpose=f"spend:{kind}",
                    description=self.env._("Payment of %s", self.name),
                )
        if partner:
            base = self.amount_total
            if self.company_id.loyalty_cashback_exclude_loyalty_payments:
                base -= sum(paid.values())
            partner._loyalty_reward_purchase(
                self, base, self.date_order, self.company_id
            )

    def _loyalty_process_refund(self, paid):
        """Take back the refunded share of what the original order earned, and
        give back to the wallet/points what the refund pays with those methods
        (at most what the original order paid with them)."""
        original = self.refunded_order_id
        if original.amount_total:
            ratio = min(abs(self.amount_total / original.amount_total), 1.0)
            self.env["res.partner"]._loyalty_reverse(original, self, ratio)
        original_paid = original._loyalty_paid_amounts()
        for kind, money in paid.items():
            if money > 0 or not money:
                continue
            if not original_paid.get(kind):
                raise UserError(
                    self.env._(
                        "Order %s was not paid with this loyalty method: refund "
                        "it with another payment method.",
                        original.name,
                    )
                )
            ratio = -money / original_paid[kind]
            if ratio > 1.0 + 1e-9:
                raise UserError(
                    self.env._(
                        "The refund gives back more to the customer's %(kind)s "
                        "than order %(order)s paid with it.",
                        kind=kind,
                        order=original.name,
                    )
                )
            self.env["res.partner"]._loyalty_reverse(
                original, self, ratio, operations=("spend",), kinds=(kind,)
            )
