# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import jdatetime
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.loyalty_sms.tests.common import LoyaltySmsCommon


@tagged("post_install", "-at_install")
class TestTierSms(LoyaltySmsCommon):
    """A Silver member (Webplanex: an order of 200, kept by an order of 100
    every 30 days) warned by SMS a week before losing the tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.loyalty_cashback_value = 0.0
        cls.company.loyalty_tier_risk_days = 7
        cls.silver = cls.env["loyalty.tier"].create(
            {
                "name": "Silver",
                "sequence": 20,
                "company_id": cls.company.id,
                "min_order_amount": 200.0,
                "retention_days": 30,
                "retention_min_amount": 100.0,
            }
        )
        cls.gold = cls.env["loyalty.tier"].create(
            {
                "name": "Gold",
                "sequence": 30,
                "company_id": cls.company.id,
                "min_spend": 1000.0,
            }
        )
        cls.env["loyalty.sms.rule"].create(
            {
                "event": "tier_at_risk",
                "template_id": cls.env.ref(
                    "loyalty_tier_sms.sms_template_loyalty_tier_at_risk"
                ).id,
                "company_id": cls.company.id,
            }
        )

    def test_member_at_risk_gets_one_sms_with_the_progress(self):
        self.pos_sale(self.member, 250.0)
        self.assertEqual(
            self.member.with_company(self.company).loyalty_tier_id, self.silver
        )
        day = fields.Date.add(fields.Date.today(), days=24)
        with freeze_time(fields.Datetime.add(fields.Datetime.now(), days=24)):
            self.run_cron("loyalty_tier.ir_cron_loyalty_tier_review")
            self.run_cron("loyalty_tier.ir_cron_loyalty_tier_review")
        sms = self.queued_sms(self.member).filtered(
            lambda s: s.loyalty_rule_id.event == "tier_at_risk"
        )
        self.assertEqual(len(sms), 1)
        deadline = fields.Date.add(day, days=7)
        jalali = jdatetime.date.fromgregorian(date=deadline).strftime("%Y/%m/%d")
        # A Persian-speaking member: the day the tier ends, in Jalali.
        self.assertIn(jalali, sms.body)
        self.assertIn("Silver", sms.body)
        self.assertIn("Gold", sms.body)
        self.assertNotIn("@progress", sms.body)
        self.assertNotIn("@expiry", sms.body)

    def test_progress_placeholder_in_any_template(self):
        self.company.loyalty_cashback_value = 10.0
        # The Loyalty Manager writes a template of their own for the rule.
        Template = self.env["sms.template"].with_user(self.loyalty_manager)
        template = Template.create(
            {
                "name": "Progress",
                "model_id": self.env.ref("base.model_res_partner").id,
                "body": "@name: @progress",
            }
        )
        self.rule_earn.with_user(self.loyalty_manager).template_id = template
        order = self.pos_sale(self.member, 250.0)
        sms = self.queued_sms(self.member)
        self.assertTrue(sms, order.name)
        # The member reads Persian: @progress is their progress, in their words.
        progress = self.member.with_context(lang="fa_IR").loyalty_tier_progress
        self.assertTrue(progress)
        self.assertEqual(sms[-1:].body, f"{self.member.name}: {progress}")
