# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.loyalty_wallet.models.res_partner import ResPartner

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestNotifyOnce(LoyaltyPosCommon):
    """Events fire once per new movement, and once per sale."""

    def setUp(self):
        super().setUp()
        self.events = []
        original = ResPartner._loyalty_notify

        def recording(partner, event, transactions, **values):
            self.events.append((event, transactions))
            return original(partner, event, transactions, **values)

        patcher = patch.object(ResPartner, "_loyalty_notify", recording)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_replayed_spend_is_not_announced_again(self):
        self.adjust(self.member, "wallet", 500)
        source = self.member
        for _replay in range(2):
            self.member.with_user(self.cashier)._loyalty_spend(
                "wallet", 100, source=source, purpose="t:s"
            )
        self.assertEqual([event for event, _rows in self.events], ["spent"])
        self.assertBalances(self.member, wallet=400)

    def test_replayed_purchase_is_not_announced_again(self):
        order = self.pos_sale(self.member, 1000)
        self.assertEqual([event for event, _rows in self.events], ["earned"])
        # the cashier's till syncs it again
        order.with_user(self.cashier)._loyalty_process_paid_order()
        self.assertEqual(len(self.events), 1, "a replay announces nothing")
        self.assertBalances(self.member, wallet=100)

    def test_a_sale_that_spends_and_earns_is_announced_once(self):
        self.adjust(self.member, "wallet", 300)
        self.events.clear()
        self.pos_sale(
            self.member,
            1000,
            payments=[(self.wallet_method, 300), (self.cash_method, 700)],
        )
        self.assertEqual(len(self.events), 1)
        event, rows = self.events[0]
        self.assertEqual(event, "earned")
        self.assertEqual(sorted(rows.mapped("operation")), ["earn", "spend"])

    def test_a_sale_that_only_spends_is_announced_as_spent(self):
        self.adjust(self.member, "wallet", 1000)
        # Paid entirely with the wallet, which earns no cashback here.
        self.configure(loyalty_cashback_exclude_loyalty_payments=True)
        self.events.clear()
        self.pos_sale(self.member, 1000, payments=[(self.wallet_method, 1000)])
        self.assertEqual([event for event, _rows in self.events], ["spent"])
