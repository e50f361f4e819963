# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import tagged

from odoo.addons.point_of_sale.tests.common import TestPoSCommon


class LedgerAssertions:
    """Mixed into every loyalty test case: after each test, every stored
    balance must equal the sum of its ledger rows and of its open lots."""

    def tearDown(self):
        mismatches = self.env["loyalty.transaction"]._loyalty_check_balances()
        super().tearDown()
        self.assertFalse(
            mismatches,
            f"balance != sum(ledger) for (partner, company, kind, ledger, lots, "
            f"stored): {mismatches}",
        )

    def assertBalances(self, partner, wallet=None, points=None, company=None):
        partner = partner.with_company(company or self.env.company)
        partner.invalidate_recordset(["loyalty_wallet_balance", "loyalty_points"])
        if wallet is not None:
            self.assertAlmostEqual(partner.loyalty_wallet_balance, wallet, places=2)
        if points is not None:
            self.assertAlmostEqual(partner.loyalty_points, points, places=2)


@tagged("post_install", "-at_install")
class LoyaltyPosCommon(LedgerAssertions, TestPoSCommon):
    """A company with the club switched on, a shop whose till accepts cash,
    wallet and points, a product priced 1.00 (so quantities are amounts) and a
    member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("loyalty_wallet.group_loyalty_manager")
        cls.company.write(
            {
                "loyalty_cashback_active": True,
                "loyalty_cashback_type": "percent",
                "loyalty_cashback_value": 10.0,
                "loyalty_points_active": False,
                "loyalty_points_step_amount": 20000.0,
                "loyalty_points_per_step": 1.0,
                "loyalty_point_value": 1000.0,
            }
        )
        cls.config = cls.basic_config
        cls.wallet_method = cls.env["pos.payment.method"].create(
            {
                "name": "Wallet",
                "loyalty_payment": "wallet",
                "journal_id": cls.company_data["default_journal_bank"].id,
                "receivable_account_id": cls.pos_receivable_bank.id,
            }
        )
        cls.points_method = cls.env["pos.payment.method"].create(
            {
                "name": "Points",
                "loyalty_payment": "points",
                "journal_id": cls.company_data["default_journal_bank"].id,
                "receivable_account_id": cls.pos_receivable_bank.id,
            }
        )
        cls.config.payment_method_ids |= cls.wallet_method | cls.points_method
        cls.cash_method = cls.cash_pm1
        cls.product = cls.create_product("Basket", cls.categ_basic, 1.0)
        cls.member = cls.env["res.partner"].create({"name": "Ali Ahmadi"})
        cls.member._loyalty_enroll()

    def setUp(self):
        super().setUp()
        self.open_new_session()

    def pos_order_data(self, partner, amount, payments=None, uuid=None, lines=None):
        return self.create_ui_order_data(
            lines or [(self.product, amount)],
            customer=partner,
            payments=payments,
            uuid=uuid,
        )

    def sync_orders(self, *orders_data):
        self.env["pos.order"].sync_from_ui(list(orders_data))
        uuids = [data["uuid"] for data in orders_data]
        return self.env["pos.order"].search([("uuid", "in", uuids)])

    def pos_sale(self, partner, amount, payments=None):
        """Sell ``amount`` to ``partner``, paid in cash unless ``payments``
        ``[(method, amount)]`` say otherwise; return the paid order."""
        return self.sync_orders(self.pos_order_data(partner, amount, payments))

    def pos_refund(self, order, amount, payments=None):
        """Refund ``amount`` units of the single line of ``order``."""
        line = order.lines[:1]
        data = self.create_ui_order_data(
            [
                {
                    "product": line.product_id,
                    "quantity": -amount,
                    "refunded_orderline_id": line.id,
                }
            ],
            customer=order.partner_id,
            payments=payments,
        )
        return self.sync_orders(data)

    def earned(self, source, kind="wallet"):
        rows = self.env["loyalty.transaction"].search(
            [
                ("source_model", "=", source._name),
                ("source_id", "=", source.id),
                ("operation", "=", "earn"),
                ("kind", "=", kind),
            ]
        )
        return sum(rows.mapped("amount"))

    def adjust(self, partner, kind, amount):
        return partner.loyalty_adjust(kind, amount, "test setup")

    def lot(self, partner, kind, amount, expiration_date):
        """An earned lot expiring on ``expiration_date`` (past dates allowed)."""
        return partner._loyalty_earn(kind, amount, expiration_date=expiration_date)

    @staticmethod
    def day(offset):
        return fields.Date.add(fields.Date.today(), days=offset)
