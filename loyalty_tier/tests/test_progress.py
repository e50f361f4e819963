# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where do I stand: the progress text in the reader's language, and the
warning before a downgrade."""

import jdatetime

from odoo import fields
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import LoyaltyTierCommon


@tagged("post_install", "-at_install")
class TestTierProgress(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_webplanex_tiers()
        cls.gold.write(
            {"min_order_amount": 0.0, "min_spend": 1000.0, "window_days": 90}
        )
        for lang in ("fa_IR", "tr_TR", "it_IT"):
            cls.env["res.lang"]._activate_lang(lang)

    def progress(self, lang, partner=None):
        partner = (partner or self.member).with_user(self.cashier)
        # A new read, as the next screen or request does: not stored, and
        # sales move it without touching the partner.
        partner.invalidate_recordset(["loyalty_tier_progress"])
        return partner.with_context(lang=lang).loyalty_tier_progress

    def test_progress_tells_what_reaches_and_keeps_the_tier(self):
        self.cashier_sale(self.member, 250.0)
        text = self.progress("en_US")
        self.assertIn("Spend", text)
        self.assertIn("750.00 more before", text)
        self.assertIn(format_date(self.env, self.day(90), lang_code="en_US"), text)
        self.assertIn("to reach Gold", text)
        self.assertIn("Order at least", text)
        self.assertIn("100.00", text)
        self.assertIn(format_date(self.env, self.day(31), lang_code="en_US"), text)
        self.assertIn("to keep Silver", text)
        self.assertAlmostEqual(
            self.member.with_user(self.cashier).loyalty_tier_progress_percent, 25.0
        )

    def test_progress_in_persian_uses_jalali_dates(self):
        self.cashier_sale(self.member, 250.0)
        text = self.progress("fa_IR")
        for offset in (90, 31):
            jalali = jdatetime.date.fromgregorian(date=self.day(offset))
            self.assertIn(jalali.strftime("%Y/%m/%d"), text)
        self.assertNotIn(str(self.day(90).year) + "-", text)

    def test_progress_in_turkish_and_italian_formats(self):
        self.cashier_sale(self.member, 250.0)
        for lang in ("tr_TR", "it_IT"):
            text = self.progress(lang)
            self.assertIn("750,00", text, lang)
            self.assertIn(format_date(self.env, self.day(90), lang_code=lang), text)
            self.assertIn(format_date(self.env, self.day(31), lang_code=lang), text)

    def test_progress_of_a_newcomer_names_the_first_tier(self):
        self.assertEqual(
            self.progress("en_US"),
            "Place one order of at least $\xa0100.00 to reach Bronze"
            if self.company.currency_id.position == "before"
            else "Place one order of at least 100.00\xa0$ to reach Bronze",
        )

    def test_progress_follows_returns(self):
        order = self.cashier_sale(self.member, 600.0)
        self.assertIn("400.00 more", self.progress("en_US"))
        self.cashier_refund(order, 100.0)
        self.assertIn("500.00 more", self.progress("en_US"))

    def test_no_progress_for_a_stranger(self):
        stranger = self.env["res.partner"].create({"name": "Not a member"})
        self.assertFalse(self.progress("en_US", stranger))


@tagged("post_install", "-at_install")
class TestTierAtRisk(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_webplanex_tiers()
        cls.company.loyalty_tier_risk_days = 7

    def test_member_is_warned_once_per_period_before_the_downgrade(self):
        self.cashier_sale(self.member, 250.0)
        events = self.tier_events("tier_at_risk")
        with self.on_day(23):
            self.review()
        self.assertFalse(events)
        with self.on_day(24):
            self.review()
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["partner"], self.member)
        self.assertEqual(events[0]["tier"], self.silver)
        self.assertEqual(events[0]["deadline"], self.day(31))
        with self.on_day(25):
            self.review()
        self.assertEqual(len(events), 1)
        with self.on_day(26):
            self.cashier_sale(self.member, 150.0)  # keeps Silver: a new period
        with self.on_day(50):
            self.review()
        self.assertEqual(len(events), 2)
        self.assertEqual(self.tier_of(self.member), self.silver)

    def test_no_warning_when_switched_off(self):
        self.company.loyalty_tier_risk_days = 0
        self.cashier_sale(self.member, 250.0)
        events = self.tier_events("tier_at_risk")
        with self.on_day(30):
            self.review()
        self.assertFalse(events)

    def test_locked_member_is_not_warned(self):
        self.cashier_sale(self.member, 250.0)
        self.member.with_user(self.tier_manager).loyalty_tier_assign(
            self.silver, "VIP", locked_until=fields.Date.add(self.day(0), days=60)
        )
        events = self.tier_events("tier_at_risk")
        with self.on_day(28):
            self.review()
        self.assertFalse(events)
