# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.loyalty_wallet.tools import format_loyalty_amount

from ..models.loyalty_sms_rule import EVENTS


@tagged("post_install", "-at_install")
class TestOutOfTheBox(TransactionCase):
    """What a shop finds after installing: a rule and a template per event,
    off until a gateway exists; the purchase SMS in the Loyalty settings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.rules = cls.env["loyalty.sms.rule"].with_context(active_test=False)

    def shipped_rules(self):
        return self.rules.search(
            [("company_id", "=", self.company.id), ("template_id", "!=", False)]
        ).filtered(
            lambda rule: rule.get_external_id()[rule.id].startswith("loyalty_sms.")
        )

    def new_gateway(self):
        return self.env["loyalty.sms.gateway"].create(
            {
                "name": "Shop line",
                "provider": "http",
                "endpoint_url": "http://127.0.0.1:9/sms",
                "company_id": self.company.id,
            }
        )

    def test_every_event_has_a_rule_off_until_the_first_gateway(self):
        self.company.loyalty_sms_gateway_id = False
        self.rules.search([("company_id", "=", self.company.id)]).active = False
        rules = self.shipped_rules()
        self.assertEqual(
            sorted(rules.mapped("event")), sorted(event for event, _label in EVENTS)
        )
        self.assertFalse(any(rules.mapped("active")))
        self.company.loyalty_sms_gateway_id = self.new_gateway()
        self.assertTrue(all(rules.mapped("active")), "the first gateway switches on")

    def test_a_shop_that_chose_its_rules_keeps_its_choice(self):
        self.company.loyalty_sms_gateway_id = False
        rules = self.shipped_rules()
        rules.active = False
        rules.filtered(lambda rule: rule.event == "earn").active = True
        self.company.loyalty_sms_gateway_id = self.new_gateway()
        self.assertEqual(rules.filtered("active").mapped("event"), ["earn"])

    def test_purchase_sms_switch_text_and_preview_in_the_settings(self):
        self.company.write(
            {
                "loyalty_cashback_type": "percent",
                "loyalty_cashback_value": 5.0,
                "loyalty_points_step_amount": 20.0,
            }
        )
        settings = self.env["res.config.settings"].create({})
        settings.loyalty_sms_purchase_active = True
        settings.loyalty_sms_purchase_body = "@name: +@credit on @amount at @shop"
        settings.execute()
        rule = settings._loyalty_sms_purchase_rule()
        self.assertTrue(rule.active)
        self.assertEqual(rule.template_id.body, "@name: +@credit on @amount at @shop")
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.loyalty_sms_purchase_active)
        # A sale of 10 steps (200) at 5 %: 10 of cashback, in the shop's unit.
        credit, amount = (
            format_loyalty_amount(self.env, value, self.company) for value in (10, 200)
        )
        self.assertEqual(
            settings.loyalty_sms_purchase_preview,
            f"{self.env.user.partner_id.name}: +{credit} on {amount} "
            f"at {self.company.name}",
        )
        settings.loyalty_sms_purchase_active = False
        settings.execute()
        self.assertFalse(rule.active)
