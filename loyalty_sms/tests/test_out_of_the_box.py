# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user, tagged

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
        cls.sysadmin = new_test_user(
            cls.env,
            login="ls_box_sysadmin",
            groups="base.group_user,base.group_system",
            company_id=cls.company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="ls_box_manager",
            name="Club Manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
            company_id=cls.company.id,
        )

    def shipped_rules(self):
        return self.rules.search(
            [("company_id", "=", self.company.id), ("template_id", "!=", False)]
        ).filtered(
            lambda rule: rule.get_external_id()[rule.id].startswith("loyalty_sms.")
        )

    def new_gateway(self):
        """A gateway the Settings administrator creates."""
        return (
            self.env["loyalty.sms.gateway"]
            .with_user(self.sysadmin)
            .create(
                {
                    "name": "Shop line",
                    "provider": "http",
                    "endpoint_url": "http://127.0.0.1:9/sms",
                    "company_id": self.company.id,
                }
            )
        )

    def settings(self, **values):
        """The settings page, as the Loyalty Manager opens it."""
        Settings = self.env["res.config.settings"].with_user(self.manager)
        return Settings.with_company(self.company).create(values)

    def select_gateway(self, gateway):
        """The Loyalty Manager selects the gateway in the settings and saves."""
        self.settings(loyalty_sms_gateway_id=gateway.id).execute()

    def test_every_event_has_a_rule_off_until_the_first_gateway(self):
        self.company.loyalty_sms_gateway_id = False
        self.rules.search([("company_id", "=", self.company.id)]).active = False
        rules = self.shipped_rules()
        self.assertEqual(
            sorted(rules.mapped("event")), sorted(event for event, _label in EVENTS)
        )
        self.assertFalse(any(rules.mapped("active")))
        self.select_gateway(self.new_gateway())
        self.assertTrue(all(rules.mapped("active")), "the first gateway switches on")

    def test_a_shop_that_chose_its_rules_keeps_its_choice(self):
        self.company.loyalty_sms_gateway_id = False
        rules = self.shipped_rules()
        rules.active = False
        earn = rules.filtered(lambda rule: rule.event == "earn")
        earn.with_user(self.manager).active = True
        self.select_gateway(self.new_gateway())
        self.assertEqual(rules.filtered("active").mapped("event"), ["earn"])

    def test_purchase_sms_switch_text_and_preview_in_the_settings(self):
        self.company.write(
            {
                "loyalty_cashback_type": "percent",
                "loyalty_cashback_value": 5.0,
                "loyalty_points_step_amount": 20.0,
            }
        )
        settings = self.settings(
            loyalty_sms_purchase_active=True,
            loyalty_sms_purchase_body="@name: +@credit on @amount at @shop",
        )
        settings.execute()
        rule = settings._loyalty_sms_purchase_rule()
        self.assertTrue(rule.active)
        self.assertEqual(rule.template_id.body, "@name: +@credit on @amount at @shop")
        settings = self.settings()
        self.assertTrue(settings.loyalty_sms_purchase_active)
        # A sale of 10 steps (200) at 5 %: 10 of cashback, in the shop's unit.
        credit, amount = (
            format_loyalty_amount(self.env, value, self.company) for value in (10, 200)
        )
        self.assertEqual(
            settings.loyalty_sms_purchase_preview,
            f"Club Manager: +{credit} on {amount} at {self.company.name}",
        )
        self.settings(loyalty_sms_purchase_active=False).execute()
        self.assertFalse(rule.active)
