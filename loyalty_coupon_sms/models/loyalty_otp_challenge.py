# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LoyaltyOtpChallenge(models.Model):
    _inherit = "loyalty.otp.challenge"

    loyalty_card_id = fields.Many2one(
        "loyalty.card",
        string="Confirmed Coupon",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The coupon whose conversion from points this code confirmed.",
    )

    def _loyalty_proof_challenge(self, proof):
        # A proof that confirmed a conversion is used up: it pays no order
        # and confirms no other conversion.
        return (
            super()
            ._loyalty_proof_challenge(proof)
            .filtered(lambda challenge: not challenge.loyalty_card_id)
        )
