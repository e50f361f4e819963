# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.loyalty_wallet.models.loyalty_transaction import (
    LATE_ORDER_DELAY_SECONDS,
)

# The ledger's criterion of a late order (created at the till before it
# reached the server): it arrives well after the till stamped it paid.
OFFLINE_AFTER = timedelta(seconds=LATE_ORDER_DELAY_SECONDS)


class PosOrder(models.Model):
    _inherit = "pos.order"

    loyalty_otp_proof = fields.Char(
        string="Confirmation Proof",
        copy=False,
        help="What the till got when the customer's SMS code was right; "
        "checked and consumed once, when the order reaches the server.",
    )
    loyalty_otp_unconfirmed = fields.Boolean(
        string="Paid without Confirmation Code",
        copy=False,
        readonly=True,
        help="Created offline, this order paid above the confirmation "
        "threshold without a code: a manager should check it.",
    )

    def _loyalty_process_paid_order(self):
        self._loyalty_check_otp()
        return super()._loyalty_process_paid_order()

    def _loyalty_otp_paid_amount(self):
        """Money paid from the wallet and with points (company currency)."""
        self.ensure_one()
        return sum(
            amount for amount in self._loyalty_paid_amounts().values() if amount > 0
        )

    def _loyalty_check_otp(self):
        """Refuse a payment above the company's threshold without a valid
        proof of the member's code, whatever the till claims. The proof must be
        this member's, for this amount, verified and never used before; it is
        consumed by this order. An order made offline is accepted and flagged."""
        self.ensure_one()
        threshold = self.company_id.loyalty_otp_threshold
        if not threshold or self.refunded_order_id:
            return
        currency = self.company_id.currency_id
        paid = self._loyalty_otp_paid_amount()
        if currency.compare_amounts(paid, threshold) <= 0:
            return
        # sudo: challenges are the server's; none is readable by a cashier.
        Challenge = self.env["loyalty.otp.challenge"].sudo()
        if Challenge.search_count([("order_id", "=", self.id)]):
            return  # processed again (backend payment, replay): confirmed already
        challenge = Challenge._loyalty_proof_challenge(self.loyalty_otp_proof)
        if (
            challenge
            and challenge.partner_id == self.partner_id.commercial_partner_id
            and challenge.company_id == self.company_id
            and not currency.compare_amounts(challenge.amount, paid)
        ):
            challenge.order_id = self
            return
        if self._loyalty_created_offline():
            # sudo: the flag is the server's note for managers, not the till's.
            self.sudo().loyalty_otp_unconfirmed = True
            return
        raise UserError(
            self.env._(
                "Order %s pays more than the confirmation threshold from the "
                "customer's balance: the customer's SMS code is missing or "
                "invalid.",
                self.name,
            )
        )

    def _loyalty_created_offline(self):
        """An order paid while the till could not reach the server (so no code
        could be asked for): it arrives well after the till stamped it paid.
        A till lying about the time only gets its order flagged."""
        self.ensure_one()
        return self.date_order < fields.Datetime.now() - OFFLINE_AFTER
