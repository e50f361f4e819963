# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.loyalty_wallet.tools import format_loyalty_date

# A coupon whose value fell below this is used up (the POS subtracts floats).
USED_UP_BELOW = 0.005
COUPON_STATES = [("valid", "Valid"), ("used", "Used"), ("expired", "Expired")]


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    loyalty_conversion_id = fields.Many2one(
        "loyalty.transaction",
        string="Points Conversion",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The ledger movement that spent the customer's points on this coupon.",
    )
    loyalty_coupon_reminder_sent = fields.Boolean(
        string="Expiry Reminder Sent", readonly=True, copy=False
    )
    loyalty_coupon_state = fields.Selection(
        COUPON_STATES,
        string="Coupon State",
        compute="_compute_loyalty_coupon_state",
        search="_search_loyalty_coupon_state",
    )

    loyalty_expiration_display = fields.Char(
        string="Valid Until (Formatted)",
        compute="_compute_loyalty_expiration_display",
        help="The expiration date as the reader's language writes it (Jalali "
        "for Persian): for the receipt, the portal and the mails.",
    )

    @api.depends("expiration_date")
    @api.depends_context("lang")
    def _compute_loyalty_expiration_display(self):
        for card in self:
            card.loyalty_expiration_display = format_loyalty_date(
                self.env, card.expiration_date
            )

    @api.depends("points", "expiration_date")
    @api.depends_context("tz")
    def _compute_loyalty_coupon_state(self):
        today = fields.Date.context_today(self)
        for card in self:
            if card.points < USED_UP_BELOW:
                card.loyalty_coupon_state = "used"
            elif card.expiration_date and card.expiration_date < today:
                card.loyalty_coupon_state = "expired"
            else:
                card.loyalty_coupon_state = "valid"

    def _search_loyalty_coupon_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        today = fields.Date.context_today(self)
        left = Domain("points", ">=", USED_UP_BELOW)
        domains = {
            "used": Domain("points", "<", USED_UP_BELOW),
            "expired": left & Domain("expiration_date", "<", today),
            "valid": left
            & (
                Domain("expiration_date", "=", False)
                | Domain("expiration_date", ">=", today)
            ),
        }
        return Domain.OR(domains[state] for state in value if state in domains)

    def _has_source_order(self):
        # A coupon bought with points is paid: the POS must not ask whether
        # this "gift card" was paid for.
        return super()._has_source_order() or bool(self.loyalty_conversion_id)

    # ------------------------------------------------------------------
    # Expiry reminders
    # ------------------------------------------------------------------

    @api.model
    def _cron_loyalty_coupon_reminder(self):
        """Daily: remind customers of their coupons about to expire. Commits
        batch by batch (the cron may be interrupted)."""
        return self._loyalty_coupon_send_reminders(
            commit=not tools.config["test_enable"]
        )

    @api.model
    def _loyalty_coupon_send_reminders(self, today=None, batch_size=1000, commit=False):
        """Emit one ``coupon_expiring`` event per converted coupon that still
        has value and expires within its company's
        ``loyalty_coupon_reminder_days``, once per coupon: the flag is set in
        the same statement that picks the coupons.

        :return: the number of coupons reminded.
        """
        today = today or fields.Date.context_today(self)
        total = 0
        while True:
            cards = self._loyalty_coupon_flag_reminder_batch(today, batch_size)
            for card in cards:
                partner = card.partner_id.with_company(card.company_id)
                partner._loyalty_notify(
                    "coupon_expiring",
                    self.env["loyalty.transaction"],
                    partner=partner,
                    card=card,
                )
            total += len(cards)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if len(cards) < batch_size:
                return total

    @api.model
    def _loyalty_coupon_flag_reminder_batch(self, today, batch_size):
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE loyalty_card card
                   SET loyalty_coupon_reminder_sent = TRUE
                 WHERE card.id IN (
                    SELECT c.id FROM loyalty_card c
                      JOIN res_company co ON co.id = c.company_id
                     WHERE c.loyalty_conversion_id IS NOT NULL
                       AND c.active AND c.partner_id IS NOT NULL
                       AND c.points >= %(used_up)s
                       AND c.loyalty_coupon_reminder_sent IS NOT TRUE
                       AND co.loyalty_coupon_reminder_days > 0
                       AND c.expiration_date >= %(today)s
                       AND c.expiration_date
                           <= %(today)s + co.loyalty_coupon_reminder_days
                  ORDER BY c.id
                     LIMIT %(limit)s
                       FOR UPDATE OF c SKIP LOCKED)
             RETURNING card.id
                """,
                used_up=USED_UP_BELOW,
                today=today,
                limit=batch_size,
            )
        )
        self.invalidate_model(["loyalty_coupon_reminder_sent"])
        return self.browse(row[0] for row in rows)

    def _loyalty_coupon_mail_reminder(self):
        template = self.env.ref(
            "loyalty_coupon.mail_template_loyalty_coupon_expiring",
            raise_if_not_found=False,
        )
        if not template:
            return
        for card in self.filtered(lambda card: card.partner_id.email):
            template.with_company(card.company_id).send_mail(
                card.id, email_layout_xmlid="mail.mail_notification_light"
            )
