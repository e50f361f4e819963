# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from unittest.mock import patch

from odoo import api
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from ..models import pos_order as pos_order_module
from .common import LedgerAssertions
from .common_pos import pos_payload

TILL_OFFLINE_SIGNAL = "lw-tour: the till took the order offline"


@tagged("post_install", "-at_install")
class TestPosOfflineTour(LedgerAssertions, TestPointOfSaleHttpCommon):
    """Acceptance of issue 12, in a real browser as the cashier: the till goes
    offline, takes a wallet payment, comes back after the balance was spent at
    another till; the order syncs and the reprinted receipt shows the debt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("loyalty_wallet.group_loyalty_manager")
        cls.company = cls.main_pos_config.company_id
        cls.company.write(
            {
                "loyalty_cashback_active": True,
                "loyalty_cashback_type": "percent",
                "loyalty_cashback_value": 10.0,
            }
        )
        cls.wallet_method = cls.env["pos.payment.method"].create(
            {
                "name": "Wallet",
                "loyalty_payment": "wallet",
                "journal_id": cls.bank_journal.id,
                "outstanding_account_id": (
                    cls.bank_payment_method.outstanding_account_id.id
                ),
            }
        )
        cls.main_pos_config.payment_method_ids |= cls.wallet_method
        cls.env["product.product"].create(
            {
                "name": "LW Sofa",
                "list_price": 500000.0,
                "taxes_id": [(5, 0, 0)],
                "available_in_pos": True,
            }
        )
        cls.lamp = cls.env["product.product"].create(
            {
                "name": "LW Lamp",
                "list_price": 85000.0,
                "taxes_id": [(5, 0, 0)],
                "available_in_pos": True,
            }
        )
        # The other till of the chain, where Ali spends his wallet meanwhile.
        cls.other_till = cls.env["pos.config"].create(
            {
                "name": "Other till",
                "payment_method_ids": [
                    (6, 0, (cls.wallet_method | cls.bank_payment_method).ids)
                ],
            }
        )
        cls.member = cls.env["res.partner"].create({"name": "Ali Ahmadi"})
        cls.member._loyalty_enroll(company=cls.company)

    def spend_at_the_other_till(self):
        """Ali buys a lamp of 85,000 with his wallet at the other till, online,
        through the same ``sync_from_ui`` as the cashier there (a cursor of its
        own, like an HTTP request, so its movement is dated now)."""
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, self.pos_user.id, {})
            session = env["pos.session"].browse(self.other_session.id)
            payload = pos_payload(
                session,
                self.lamp.with_env(env),
                1,
                partner=self.member.with_env(env),
                payments=[(self.wallet_method.with_env(env), 85000.0)],
            )
            env["pos.order"].sync_from_ui([payload])
            self.other_order_uuid = payload["uuid"]

    def test_offline_order_synced_after_the_wallet_was_spent_shows_the_debt(self):
        self.member.with_company(self.company).loyalty_adjust(
            "wallet", 85000, "opening balance"
        )
        self.other_till.with_user(self.pos_user).open_ui()
        self.other_session = self.other_till.current_session_id
        self.other_session.with_user(self.pos_user).set_opening_control(0, None)
        failures = []
        original_console = ChromeBrowser._handle_console

        def other_till_answers(browser):
            try:
                self.spend_at_the_other_till()
                answer = "ok"
            except Exception as error:  # reported in the browser and below
                failures.append(error)
                answer = str(error).replace('"', "'")
            browser._websocket_send(
                "Runtime.evaluate",
                params={"expression": f'window.lwSpentElsewhere = "{answer}"'},
            )

        def handle_console(browser, type, args=None, **kwargs):  # noqa: A002
            original_console(browser, type, args=args, **kwargs)
            if args and browser._from_remoteobject(args[0]) == TILL_OFFLINE_SIGNAL:
                # Not in the browser's event thread: the sale takes a cursor.
                threading.Thread(target=other_till_answers, args=(browser,)).start()

        # The till must be offline longer than the late-order delay; the tour
        # can't wait two minutes, so the delay is shortened to two seconds.
        with (
            patch.object(ChromeBrowser, "_handle_console", handle_console),
            patch.object(pos_order_module, "LATE_ORDER_DELAY_SECONDS", 2),
        ):
            self.start_pos_tour("LoyaltyWalletPosOfflineDebtTour")
        self.assertFalse(failures)
        other = self.env["pos.order"].search([("uuid", "=", self.other_order_uuid)])
        self.assertEqual(other.state, "paid")
        self.assertFalse(other.loyalty_debt)
        order = self.env["pos.order"].search(
            [
                ("partner_id", "=", self.member.id),
                ("config_id", "=", self.main_pos_config.id),
            ]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.loyalty_debt, 85000)
        self.assertEqual(order.user_id, self.pos_user)
        self.assertEqual(other.user_id, self.pos_user)
        # -85,000 of debt, less the sofa's cashback (10 % of the 415,000 in cash)
        self.assertBalances(self.member, wallet=-43500, company=self.company)
