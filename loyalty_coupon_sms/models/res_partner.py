# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

LOYALTY_USER = "loyalty_wallet.group_loyalty_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Public API (RPC-callable: rights are checked here)
    # ------------------------------------------------------------------

    def loyalty_otp_request_conversion(self, pos_config_id, points):
        """Send the member the code confirming the conversion of ``points``
        into a coupon at the till ``pos_config_id``; the code is bound to the
        coupon's value, computed here (the till does not know the rates).

        :return: ``{"challenge": <id>}``, as ``loyalty_otp_request``.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        partner._loyalty_coupon_check_convert_rights()
        value = partner._loyalty_otp_conversion_value(points)
        return self.loyalty_otp_request(pos_config_id, value)

    def loyalty_convert_points(self, points, otp_proof=None):
        """As in ``loyalty_coupon``; when the company asks for codes, a
        conversion made by a cashier for a customer needs ``otp_proof``, the
        proof ``loyalty_otp_verify`` gave for this member and this value. It
        is consumed by the coupon."""
        self.ensure_one()
        partner = self.commercial_partner_id
        partner._loyalty_coupon_check_convert_rights()
        if not partner._loyalty_otp_conversion_needed():
            return super().loyalty_convert_points(points)
        value = partner._loyalty_otp_conversion_value(points)
        challenge = partner._loyalty_otp_conversion_challenge(otp_proof, value)
        card = super().loyalty_convert_points(points)
        challenge.loyalty_card_id = card
        return card

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _loyalty_otp_conversion_needed(self):
        """Codes are asked when the company has a confirmation threshold, for
        a conversion made by someone else than the member (a cashier at the
        till). Loyalty Users (the club's back office) and the member in
        their portal convert without one."""
        self.ensure_one()
        user = self.env.user
        return bool(
            self.env.company.loyalty_otp_threshold
            and not self.env.is_superuser()
            and not user.has_group(LOYALTY_USER)
            and user.partner_id.commercial_partner_id != self
        )

    def _loyalty_otp_conversion_value(self, points):
        company = self.env.company
        return company._loyalty_coupon_check_conversion(
            self, company._loyalty_round("points", points)
        )

    def _loyalty_otp_conversion_challenge(self, proof, value):
        """The verified, unused challenge that ``proof`` proves for this
        member, this company and a coupon worth ``value``, locked until the
        end of the transaction (one proof, one coupon); else refuse."""
        self.ensure_one()
        company = self.env.company
        # sudo: challenges are the server's; none is readable by a cashier.
        Challenge = self.env["loyalty.otp.challenge"].sudo()
        challenge_id = (proof or "").partition(":")[0]
        if challenge_id.isdigit():
            # Two conversions sent with one proof: the second waits here, then
            # finds it used.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM loyalty_otp_challenge WHERE id = %s FOR UPDATE",
                    int(challenge_id),
                )
            )
            Challenge.invalidate_model()
        challenge = Challenge._loyalty_proof_challenge(proof)
        if (
            not challenge
            or challenge.partner_id != self
            or challenge.company_id != company
            or company.currency_id.compare_amounts(challenge.amount, value)
        ):
            raise UserError(
                self.env._(
                    "Converting %s's points into a coupon needs the customer's "
                    "SMS code: it is missing or invalid.",
                    self.name,
                )
            )
        return challenge
