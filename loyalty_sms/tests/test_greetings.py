# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LoyaltySmsCommon


@tagged("post_install", "-at_install")
class TestGreetings(LoyaltySmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"loyalty_points_active": True, "loyalty_sms_birthday_points": 50}
        )
        cls.env["loyalty.sms.rule"].create(
            {
                "event": "birthday",
                "template_id": cls.env.ref(
                    "loyalty_sms.sms_template_loyalty_birthday"
                ).id,
                "company_id": cls.company.id,
            }
        )
        cls.member.loyalty_birthday = date(1990, 3, 14)

    def greet(self, today):
        """A run of the greetings cron on ``today``, as its user (OdooBot):
        it greets the members of every company."""
        cron = self.env.ref("loyalty_sms.ir_cron_loyalty_sms_greetings")
        self.env["res.partner"].with_user(cron.user_id)._cron_loyalty_sms_greetings(
            today=today
        )

    def test_birthday_greeted_once_a_year_with_bonus(self):
        self.greet(date(2026, 3, 13))
        self.assertFalse(self.queued_sms(self.member))
        self.greet(date(2026, 3, 14))
        self.greet(date(2026, 3, 14))  # the cron runs again the same day
        sms = self.queued_sms(self.member)
        self.assertEqual(len(sms), 1)
        self.assertIn("علی احمدی", sms.body)
        self.assertIn("50", sms.body)  # @totalpoints after the bonus
        self.assertBalances(self.member, points=50)
        self.greet(date(2027, 3, 14))
        self.assertEqual(len(self.queued_sms(self.member)), 2)
        self.assertBalances(self.member, points=100)

    def test_cron_runs_for_every_company(self):
        with freeze_time("2026-03-14 08:00:00"):
            self.run_cron("loyalty_sms.ir_cron_loyalty_sms_greetings")
        self.assertEqual(len(self.queued_sms(self.member)), 1)
