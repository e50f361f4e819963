# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.loyalty_wallet.tests.common import committed_user, drop_committed_users


@tagged("post_install", "-at_install")
class TestRulesSeenBySales(TransactionCase):
    """Which SMS rules are active is cached (every sale asks): a sale that ran
    while the manager added a rule must not make later sales skip its
    message (real cursors, committed data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.company_id = env.ref("base.main_company").id
            cls.template_id = env.ref("loyalty_sms.sms_template_loyalty_earn").id
        cls.manager_id = committed_user(
            cls.registry,
            cls.company_id,
            "ls_rule_snapshot_manager",
            "loyalty_wallet.group_loyalty_manager",
        )
        cls.cashier_id = committed_user(
            cls.registry,
            cls.company_id,
            "ls_rule_snapshot_cashier",
            "point_of_sale.group_pos_user",
        )
        cls.rule_ids = []

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["loyalty.sms.rule"].browse(cls.rule_ids).unlink()
            drop_committed_users(cr, [cls.manager_id, cls.cashier_id])
        super().tearDownClass()

    def env_of(self, cr, uid):
        return api.Environment(cr, uid, {"allowed_company_ids": [self.company_id]})

    def earn_rules_for_cashier(self, cr):
        env = self.env_of(cr, self.cashier_id)
        return env["loyalty.sms.rule"]._loyalty_active_rule_ids(
            "earn", env["res.company"]._loyalty_setup_key()
        )

    def test_a_sale_under_way_when_a_rule_is_added(self):
        with self.registry.cursor() as sale_cr:
            # the sale's transaction takes its snapshot ...
            before = self.earn_rules_for_cashier(sale_cr)
            # ... the manager adds a rule and commits ...
            with self.registry.cursor() as manager_cr:
                rule = self.env_of(manager_cr, self.manager_id)[
                    "loyalty.sms.rule"
                ].create({"event": "earn", "template_id": self.template_id})
                self.rule_ids.append(rule.id)
            # ... the sale, in its snapshot, does not see it (it came first)
            self.assertEqual(self.earn_rules_for_cashier(sale_cr), before)
        # the next sale sends its message
        with self.registry.cursor() as next_cr:
            self.assertIn(self.rule_ids[0], self.earn_rules_for_cashier(next_cr))
