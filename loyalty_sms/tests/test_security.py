# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions

SECRETS = ("api_key", "endpoint_url", "username", "callback_token", "status_url")


@tagged("post_install", "-at_install")
class TestSecurity(LedgerAssertions, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls.env["loyalty.sms.gateway"].create(
            {"name": "Kave", "provider": "kavenegar", "api_key": "SECRET"}
        )
        cls.manager = new_test_user(
            cls.env, "ls_manager", groups="loyalty_wallet.group_loyalty_manager"
        )
        cls.user = new_test_user(
            cls.env, "ls_user", groups="loyalty_wallet.group_loyalty_user"
        )
        cls.sysadmin = new_test_user(
            cls.env, "ls_sysadmin", groups="base.group_user,base.group_system"
        )
        cls.club_template = cls.env.ref("loyalty_sms.sms_template_loyalty_earn")
        cls.club_rule = cls.env["loyalty.sms.rule"].create(
            {"event": "earn", "template_id": cls.club_template.id}
        )
        cls.other_template = cls.env["sms.template"].create(
            {
                "name": "Another app's reminder",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": "Your appointment is tomorrow",
            }
        )
        partner = cls.env["res.partner"].create({"name": "Someone", "phone": "+1555"})
        cls.other_sms = cls.env["sms.sms"].create(
            {"number": "+15550001", "body": "2FA code 123456", "partner_id": partner.id}
        )
        cls.club_sms = cls.env["sms.sms"].create(
            {
                "number": "+15550002",
                "body": "You earned 10",
                "partner_id": partner.id,
                "loyalty_rule_id": cls.club_rule.id,
            }
        )

    def test_only_system_administrators_read_or_edit_gateway_secrets(self):
        self.assertEqual(self.gateway.with_user(self.sysadmin).api_key, "SECRET")
        self.gateway.with_user(self.sysadmin).api_key = "ROTATED"
        gateway = self.gateway.with_user(self.manager)
        self.assertEqual(gateway.read(["name", "sender"])[0]["name"], "Kave")
        for fname in SECRETS:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                gateway.read([fname])
        with self.assertRaises(AccessError):
            gateway.write({"api_key": "MINE"})
        with self.assertRaises(AccessError):
            self.gateway.with_user(self.user).read(["name"])
        self.assertEqual(self.gateway.api_key, "ROTATED")

    def test_loyalty_manager_reads_the_clubs_sms_only(self):
        SmsSms = self.env["sms.sms"].with_user(self.manager)
        self.assertIn(self.club_sms, SmsSms.search([]))
        self.assertNotIn(self.other_sms, SmsSms.search([]))
        with self.assertRaises(AccessError):
            self.other_sms.with_user(self.manager).read(["body"])
        with self.assertRaises(AccessError):
            self.club_sms.with_user(self.manager).unlink()

    def test_loyalty_manager_edits_the_clubs_templates_only(self):
        self.club_template.with_user(self.manager).body = "Thanks! +@amount"
        own = (
            self.env["sms.template"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Club greeting",
                    "model_id": self.env.ref("base.model_res_partner").id,
                    "body": "Welcome",
                }
            )
        )
        own.body = "Welcome to the club"
        own.unlink()
        with self.assertRaises(AccessError):
            self.other_template.with_user(self.manager).write({"body": "Hacked"})
        with self.assertRaises(AccessError):
            self.other_template.with_user(self.manager).unlink()
