# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.loyalty_wallet.tests.common import SetupSeenBySalesCase


@tagged("post_install", "-at_install")
class TestRulesSeenBySales(SetupSeenBySalesCase, TransactionCase):
    """Which SMS rules are active is cached (every sale asks): a sale that ran
    while the manager added a rule must not make later sales skip its
    message (real cursors, committed data)."""

    login_prefix = "ls_rule_snapshot"

    def earn_rules_for_cashier(self, cr):
        env = self.env_of(cr, self.cashier_id)
        return env["loyalty.sms.rule"]._loyalty_active_rule_ids(
            "earn", env["res.company"]._loyalty_setup_key()
        )

    def test_a_sale_under_way_when_a_rule_is_added(self):
        rule_ids = []

        def add_rule(env):
            rule = env["loyalty.sms.rule"].create(
                {
                    "event": "earn",
                    "template_id": env.ref("loyalty_sms.sms_template_loyalty_earn").id,
                }
            )
            self.committed.append((rule._name, rule.id))
            rule_ids.append(rule.id)

        with self.registry.cursor() as sale_cr:
            # the sale's transaction takes its snapshot ...
            before = self.earn_rules_for_cashier(sale_cr)
            # ... the manager adds a rule and commits ...
            self.manager_commits(add_rule)
            # ... the sale, in its snapshot, does not see it (it came first)
            self.assertEqual(self.earn_rules_for_cashier(sale_cr), before)
        # the next sale sends its message
        with self.registry.cursor() as next_cr:
            self.assertIn(rule_ids[0], self.earn_rules_for_cashier(next_cr))
