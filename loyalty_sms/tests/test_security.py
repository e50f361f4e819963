# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions


@tagged("post_install", "-at_install")
class TestSecurity(LedgerAssertions, TransactionCase):
    def test_only_managers_read_gateway_secrets(self):
        gateway = self.env["loyalty.sms.gateway"].create(
            {"name": "Kave", "provider": "kavenegar", "api_key": "SECRET"}
        )
        manager = new_test_user(
            self.env, "ls_manager", groups="loyalty_wallet.group_loyalty_manager"
        )
        user = new_test_user(
            self.env, "ls_user", groups="loyalty_wallet.group_loyalty_user"
        )
        self.assertEqual(gateway.with_user(manager).api_key, "SECRET")
        with self.assertRaises(AccessError):
            gateway.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            gateway.with_user(user).read(["api_key"])
