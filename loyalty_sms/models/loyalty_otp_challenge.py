# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from datetime import timedelta

from odoo import fields, models
from odoo.tools import consteq
from odoo.tools.misc import hmac

# A code is typed within minutes, in a few tries; its proof must reach the
# server with the order (an order waiting in a till's queue syncs later).
CODE_VALIDITY = timedelta(minutes=5)
CODE_ATTEMPTS = 3
PROOF_VALIDITY = timedelta(hours=2)
# Codes one member may be sent in CODE_VALIDITY (no SMS bombing from a till).
CODES_PER_WINDOW = 3


class LoyaltyOtpChallenge(models.Model):
    """A one-time code sent by SMS to a member to confirm, at the till, a
    payment from their wallet or points (or a points conversion).

    Only hashes are stored: of the code (checked by ``_loyalty_check_code``)
    and of the proof handed to the till once the code is right (checked and
    consumed, once, when the order reaches the server)."""

    _name = "loyalty.otp.challenge"
    _description = "Loyalty Confirmation Code"
    _order = "id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", readonly=True
    )
    config_id = fields.Many2one(
        "pos.config", string="Point of Sale", ondelete="set null", readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True, help="The payment the code confirms.")
    nonce = fields.Char(readonly=True, copy=False)
    code_hash = fields.Char(readonly=True, copy=False)
    proof_hash = fields.Char(readonly=True, copy=False)
    expires_at = fields.Datetime(readonly=True)
    attempts = fields.Integer(readonly=True)
    verified_at = fields.Datetime(readonly=True)
    order_id = fields.Many2one(
        "pos.order",
        string="Confirmed Order",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )

    def _loyalty_hash(self, scope, value):
        self.ensure_one()
        return hmac(self.env(su=True), f"loyalty_otp_{scope}", f"{self.nonce}:{value}")

    def _loyalty_new_code(self):
        """A fresh 6-digit code for this challenge (only its hash is kept)."""
        self.ensure_one()
        code = f"{secrets.randbelow(10**6):06d}"
        self.write({"code_hash": self._loyalty_hash("code", code)})
        return code

    def _loyalty_check_code(self, code):
        """Why ``code`` is refused, or "" when it is right (then the challenge
        is verified). A wrong code counts as an attempt."""
        self.ensure_one()
        now = fields.Datetime.now()
        if self.verified_at or self.order_id:
            return self.env._("This code was already used: ask for a new one.")
        if now > self.expires_at:
            return self.env._("This code has expired: ask for a new one.")
        if self.attempts >= CODE_ATTEMPTS:
            return self.env._("Too many wrong codes: ask for a new one.")
        if not consteq(
            self.code_hash, self._loyalty_hash("code", (code or "").strip())
        ):
            self.attempts += 1
            return self.env._("The code is wrong.")
        return ""

    def _loyalty_issue_proof(self):
        self.ensure_one()
        token = secrets.token_urlsafe(24)
        self.write(
            {
                "verified_at": fields.Datetime.now(),
                "proof_hash": self._loyalty_hash("proof", token),
            }
        )
        return f"{self.id}:{token}"

    def _loyalty_proof_challenge(self, proof):
        """The verified, unused challenge that ``proof`` proves, or an empty
        recordset (forged, unknown, stale or already used)."""
        challenge_id, _sep, token = (proof or "").partition(":")
        if not challenge_id.isdigit() or not token:
            return self.browse()
        challenge = self.browse(int(challenge_id)).exists()
        if (
            not challenge
            or not challenge.proof_hash
            or challenge.order_id
            or fields.Datetime.now() > challenge.verified_at + PROOF_VALIDITY
            or not consteq(
                challenge.proof_hash, challenge._loyalty_hash("proof", token)
            )
        ):
            return self.browse()
        return challenge
