# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from .common import LoyaltyCouponCommon


@tagged("post_install", "-at_install")
class TestCouponReminder(LoyaltyCouponCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.loyalty_adjust("points", 250, "more points")

    def coupon_expiring_in(self, days, points=100):
        card = self.convert(points)
        card.expiration_date = self.day(days)
        return card

    def reminder_mails(self, card):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "loyalty.card"),
                ("res_id", "=", card.id),
                ("subject", "ilike", "expires soon"),
            ]
        )

    def run_reminder_cron(self):
        self.run_cron("loyalty_coupon.ir_cron_loyalty_coupon_reminder")

    def test_one_reminder_even_when_the_cron_runs_twice(self):
        card = self.coupon_expiring_in(7)
        Partner = self.env.registry["res.partner"]
        with patch.object(
            Partner,
            "_loyalty_notify",
            autospec=True,
            side_effect=Partner._loyalty_notify,
        ) as notify:
            self.run_reminder_cron()
            self.run_reminder_cron()
        self.assertEqual(len(self.reminder_mails(card)), 1)
        self.assertIn(card.code, self.reminder_mails(card).body_html)
        self.assertTrue(card.loyalty_coupon_reminder_sent)
        self.assertEqual(
            [c.args[1] for c in notify.call_args_list], ["coupon_expiring"]
        )
        self.assertEqual(notify.call_args.kwargs["card"], card)
        self.assertEqual(notify.call_args.kwargs["partner"], self.customer)

    def test_no_reminder_outside_the_lead_time_or_for_used_coupons(self):
        later = self.coupon_expiring_in(8)
        used = self.coupon_expiring_in(3)
        used.points = 0
        self.run_reminder_cron()
        self.assertFalse(self.reminder_mails(later))
        self.assertFalse(self.reminder_mails(used))
        self.assertFalse(later.loyalty_coupon_reminder_sent)

    def test_no_reminder_when_switched_off(self):
        self.save_settings(loyalty_coupon_reminder_days=0)
        card = self.coupon_expiring_in(2)
        self.run_reminder_cron()
        self.assertFalse(self.reminder_mails(card))
