# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

import jdatetime
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from ..models.loyalty_transaction import LOTS_PER_STATEMENT
from .common import LedgerAssertions, LoyaltyPosCommon

# A sale on day 1 (1 March) with a 14-day window: pending on days 1-14,
# spendable from day 15 (15 March).
DAY_1 = "2026-03-01 10:00:00"
DAY_2 = "2026-03-02 10:00:00"
DAY_3 = "2026-03-03 10:00:00"
DAY_14 = "2026-03-14 10:00:00"
DAY_15 = "2026-03-15 10:00:00"
AVAILABLE_ON = date(2026, 3, 15)


@tagged("post_install", "-at_install")
class TestPendingCredit(LoyaltyPosCommon):
    """The return window: what a sale earns waits 14 days before it is spent;
    a return inside the window cancels it without a shortfall."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_role_users()
        cls.company.loyalty_pending_days = 14

    # ------------------------------------------------------------------
    # The cashier's till
    # ------------------------------------------------------------------

    def cashier_sync(self, data):
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def cashier_sale(self, amount, payments=None):
        return self.cashier_sync(self.pos_order_data(self.member, amount, payments))

    def cashier_refund(self, order, amount):
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
        )
        return self.cashier_sync(data)

    def assertWalletPaymentRefused(self, amount, method=None):
        with self.assertRaisesRegex(UserError, "pending"), self.env.cr.savepoint():
            self.cashier_sale(amount, payments=[(method or self.wallet_method, amount)])

    def pending(self, kind="wallet"):
        partner = self.member.with_user(self.cashier)
        partner.invalidate_recordset()
        if kind == "wallet":
            return partner.loyalty_wallet_pending, partner.loyalty_wallet_pending_date
        return partner.loyalty_points_pending, partner.loyalty_points_pending_date

    def earned_lot(self, order, kind="wallet"):
        return self.env["loyalty.transaction"].search(
            [
                ("source_model", "=", "pos.order"),
                ("source_id", "=", order.id),
                ("operation", "=", "earn"),
                ("kind", "=", kind),
            ]
        )

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_cashback_of_a_sale_is_pending_for_the_window(self):
        with freeze_time(DAY_1):
            order = self.cashier_sale(500000)
            self.assertBalances(self.member, wallet=50000)
            self.assertEqual(self.pending(), (50000, AVAILABLE_ON))
            self.assertEqual(self.earned_lot(order).available_date, AVAILABLE_ON)
            self.assertEqual(self.member.loyalty_wallet_available, 0)
            self.assertWalletPaymentRefused(50000)

    def test_pending_cashback_is_not_spendable_on_day_14(self):
        with freeze_time(DAY_1):
            self.cashier_sale(500000)
        with freeze_time(DAY_14):
            self.assertWalletPaymentRefused(1)
            self.assertEqual(self.pending(), (50000, AVAILABLE_ON))

    def test_pending_cashback_is_spendable_on_day_15(self):
        with freeze_time(DAY_1):
            self.cashier_sale(500000)
        with freeze_time(DAY_15):
            self.assertEqual(self.pending(), (0, False))
            self.cashier_sale(50000, payments=[(self.wallet_method, 50000)])
        self.assertBalances(self.member, wallet=0)

    def test_expiry_still_counts_from_the_sale(self):
        self.company.loyalty_wallet_validity_days = 30
        with freeze_time(DAY_1):
            order = self.cashier_sale(500000)
        self.assertEqual(self.earned_lot(order).expiration_date, date(2026, 3, 31))

    def test_return_inside_the_window_cancels_the_pending_cashback(self):
        self.adjust(self.member, "wallet", 20000)
        with freeze_time(DAY_1):
            order = self.cashier_sale(500000)
        with freeze_time(DAY_2):
            # The customer tries to spend the cashback before returning.
            self.assertWalletPaymentRefused(70000)
        with freeze_time(DAY_3):
            refund = self.cashier_refund(order, 500000)
            self.assertEqual(self.pending(), (0, False))
        reversal = self.env["loyalty.transaction"].search(
            [("source_model", "=", "pos.order"), ("source_id", "=", refund.id)]
        )
        self.assertEqual(sum(reversal.mapped("amount")), -50000)
        self.assertEqual(sum(reversal.mapped("shortfall")), 0)
        self.assertBalances(self.member, wallet=20000)
        self.assertFalse(self.env["loyalty.transaction"]._loyalty_check_balances())

    def test_spending_leaves_the_pending_lot_alone(self):
        # The pending lot expires first (30 days), the older credit never:
        # first-expiring-first alone would spend the pending lot.
        self.company.loyalty_wallet_validity_days = 30
        self.adjust(self.member, "wallet", 20000)
        with freeze_time(DAY_1):
            order = self.cashier_sale(500000)
        with freeze_time(DAY_2):
            self.cashier_sale(20000, payments=[(self.wallet_method, 20000)])
            self.assertEqual(self.earned_lot(order).remaining, 50000)
            self.assertWalletPaymentRefused(1)
        with freeze_time(DAY_3):
            self.cashier_refund(order, 500000)
        self.assertBalances(self.member, wallet=0)
        self.assertEqual(
            sum(
                self.env["loyalty.transaction"]
                .search([("partner_id", "=", self.member.id)])
                .mapped("shortfall")
            ),
            0,
        )

    def test_pending_credit_behind_many_open_lots_is_not_spendable(self):
        """The till's lock reads a member's first open lots only (in expiry
        order); a member with more than that whose pending lot expires last
        still can't spend it."""
        self.company.loyalty_wallet_validity_days = 30
        manager = self.member.with_user(self.loyalty_manager)
        available = 1000 * (LOTS_PER_STATEMENT + 5)
        with freeze_time(DAY_1):
            for _lot in range(LOTS_PER_STATEMENT + 5):
                manager.loyalty_adjust(
                    "wallet", 1000, "test setup", expiration_date=date(2026, 3, 20)
                )
            self.cashier_sale(500000)
        with freeze_time(DAY_2):
            self.assertEqual(self.pending(), (50000, AVAILABLE_ON))
            self.assertWalletPaymentRefused(available + 1)
            self.cashier_sale(available, payments=[(self.wallet_method, available)])
        self.assertBalances(self.member, wallet=50000)
        self.assertFalse(self.env["loyalty.transaction"]._loyalty_check_balances())

    def test_no_window_makes_credit_available_at_once(self):
        self.company.loyalty_pending_days = 0
        with freeze_time(DAY_1):
            order = self.cashier_sale(500000)
            self.assertFalse(self.earned_lot(order).available_date)
            self.assertEqual(self.pending(), (0, False))
            self.cashier_sale(50000, payments=[(self.wallet_method, 50000)])
        self.assertBalances(self.member, wallet=0)

    def test_points_of_a_sale_are_pending_too(self):
        self.company.loyalty_points_active = True
        with freeze_time(DAY_1):
            order = self.cashier_sale(500000)
            self.assertEqual(self.earned_lot(order, "points").amount, 25)
            self.assertEqual(self.pending("points"), (25, AVAILABLE_ON))
            self.assertWalletPaymentRefused(25000, self.points_method)
        with freeze_time(DAY_15):
            self.cashier_sale(25000, payments=[(self.points_method, 25000)])
        self.assertBalances(self.member, points=0)

    def test_points_pending_cannot_be_converted(self):
        self.company.loyalty_points_active = True
        with freeze_time(DAY_1):
            self.cashier_sale(500000)
            with self.assertRaisesRegex(UserError, "pending"):
                self.member.with_user(self.cashier)._loyalty_spend(
                    "points", 25, operation="convert"
                )
        with freeze_time(DAY_15):
            self.member.with_user(self.cashier)._loyalty_spend(
                "points", 25, operation="convert"
            )
        self.assertBalances(self.member, points=0)

    def test_invoice_cashback_is_pending_from_the_invoice_date(self):
        with freeze_time(DAY_3):
            move = self.init_invoice(
                "out_invoice",
                self.member,
                invoice_date=date(2026, 3, 1),
                amounts=[500000],
                taxes=[],
            )
            move.with_user(self.billing).action_post()
            self.assertEqual(self.earned_lot_of(move).available_date, AVAILABLE_ON)
            self.assertEqual(self.pending(), (50000, AVAILABLE_ON))

    def earned_lot_of(self, move):
        return self.env["loyalty.transaction"].search(
            [
                ("source_model", "=", "account.move"),
                ("source_id", "=", move.id),
                ("operation", "=", "earn"),
            ]
        )

    def test_signup_points_and_adjustments_are_never_pending(self):
        self.company.write({"loyalty_points_active": True, "loyalty_points_signup": 10})
        newcomer = self.env["res.partner"].create({"name": "Newcomer"})
        newcomer.with_user(self.loyalty_user).action_loyalty_enroll()
        newcomer.with_user(self.loyalty_manager).loyalty_adjust(
            "wallet", 500, "welcome gift"
        )
        lots = self.env["loyalty.transaction"].search(
            [("partner_id", "=", newcomer.id)]
        )
        self.assertEqual(len(lots), 2)
        self.assertFalse(any(lots.mapped("available_date")))
        newcomer.with_user(self.cashier)._loyalty_spend("wallet", 500)
        newcomer.with_user(self.cashier)._loyalty_spend("points", 10)

    def test_manager_may_take_back_pending_credit(self):
        with freeze_time(DAY_1):
            self.cashier_sale(500000)
            self.member.with_user(self.loyalty_manager).loyalty_adjust(
                "wallet", -50000, "sale cancelled by phone"
            )
        self.assertBalances(self.member, wallet=0)

    def test_pos_balances_rpc_gives_spendable_and_pending(self):
        self.adjust(self.member, "wallet", 20000)
        with freeze_time(DAY_1):
            self.cashier_sale(500000)
            balances = self.member.with_user(self.cashier).loyalty_pos_balances(
                self.config.id
            )
            self.assertEqual(balances["wallet"], 20000)
            self.assertEqual(balances["wallet_pending"], 50000)
            self.assertEqual(balances["wallet_pending_date"], "2026-03-15")
            self.assertEqual(balances["points_pending"], 0)
            self.assertFalse(balances["points_pending_date"])
            [data] = (
                self.env["res.partner"]
                .with_user(self.cashier)
                ._load_pos_data_read(self.member.with_user(self.cashier), self.config)
            )
            self.assertEqual(data["loyalty_wallet_balance"], 70000)
            self.assertEqual(data["loyalty_wallet_pending"], 50000)
            self.assertEqual(data["loyalty_wallet_pending_date"], AVAILABLE_ON)
        with freeze_time(DAY_15):
            balances = self.member.with_user(self.cashier).loyalty_pos_balances(
                self.config.id
            )
            self.assertEqual(balances["wallet"], 70000)
            self.assertEqual(balances["wallet_pending"], 0)
            self.assertFalse(balances["wallet_pending_date"])

    def posted_an_hour_ago(self):
        """The member's movements so far were posted an hour ago (a test runs
        in one transaction: every row would otherwise be created "now")."""
        self.env["loyalty.transaction"].flush_model()
        self.env.cr.execute(
            "UPDATE loyalty_transaction SET create_date = create_date - "
            "interval '1 hour' WHERE partner_id = %s",
            [self.member.id],
        )

    def offline_order(self, total, wallet):
        """An order the till took ten minutes ago, paid partly from the wallet."""
        data = self.pos_order_data(
            self.member,
            total,
            payments=[(self.wallet_method, wallet), (self.cash_method, total - wallet)],
        )
        taken_at = fields.Datetime.now() - timedelta(minutes=10)
        data["date_order"] = fields.Datetime.to_string(taken_at)
        return data

    def test_late_order_takes_pending_credit_before_a_debt(self):
        """An offline order paid with the 30,000 available then lands (it is a
        fact) after another till spent them: it takes pending credit rather
        than leaving a debt beside it."""
        self.adjust(self.member, "wallet", 30000)
        self.cashier_sale(500000)
        self.posted_an_hour_ago()
        data = self.offline_order(100000, wallet=30000)
        self.member.with_user(self.cashier)._loyalty_spend("wallet", 30000)
        order = self.cashier_sync(data)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.loyalty_debt, 0)
        # 50,000 pending - 30,000 + this order's own 7,000 (pending too)
        self.assertBalances(self.member, wallet=27000)
        self.assertEqual(self.pending()[0], 27000)

    def test_backdated_order_cannot_spend_pending_credit(self):
        self.cashier_sale(500000)
        self.posted_an_hour_ago()
        with self.assertRaisesRegex(UserError, "pending"), self.env.cr.savepoint():
            self.cashier_sync(self.offline_order(100000, wallet=30000))
        self.assertBalances(self.member, wallet=50000)

    def test_member_form_shows_available_and_pending(self):
        with freeze_time(DAY_1):
            self.adjust(self.member, "wallet", 20000)
            self.cashier_sale(500000)
            partner = self.member.with_user(self.loyalty_user)
            arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
            for fname in (
                "loyalty_wallet_available",
                "loyalty_wallet_pending",
                "loyalty_wallet_pending_date",
            ):
                self.assertIn(f'name="{fname}"', arch)
            [values] = partner.read(
                [
                    "loyalty_wallet_available",
                    "loyalty_wallet_pending",
                    "loyalty_wallet_pending_date",
                ]
            )
        self.assertEqual(values["loyalty_wallet_available"], 20000)
        self.assertEqual(values["loyalty_wallet_pending"], 50000)
        self.assertEqual(values["loyalty_wallet_pending_date"], AVAILABLE_ON)

    def test_window_shorter_than_the_validity_only(self):
        with self.assertRaises(ValidationError):
            self.company.loyalty_wallet_validity_days = 14
        self.company.loyalty_wallet_validity_days = 15


@tagged("post_install", "-at_install")
class TestPendingCreditPortal(LedgerAssertions, HttpCase):
    """The customer sees on *My Loyalty* what is available and what is pending."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.write({"loyalty_cashback_active": True, "loyalty_pending_days": 14})
        cls.customer = cls.env["res.partner"].create({"name": "Portal Customer"})
        cls.customer._loyalty_enroll()
        cls.customer.loyalty_adjust("wallet", 1234, "Thank-you credit")
        cls.customer._loyalty_earn(
            "wallet",
            5678,
            available_date=company._loyalty_local_date() + timedelta(days=14),
            description="Cashback of a sale",
        )
        new_test_user(
            cls.env,
            login="pending_portal",
            password="pending_portal",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )

    def test_my_loyalty_shows_available_and_pending_credit(self):
        self.authenticate("pending_portal", "pending_portal")
        page = self.url_open("/my/loyalty").text
        self.assertIn("6,912", page)  # the balance
        self.assertIn("o_loyalty_wallet_pending", page)
        self.assertIn("1,234", page)  # available now
        self.assertIn("5,678", page)  # pending
        available_on = self.customer.loyalty_wallet_pending_date
        self.assertIn(
            self.env["loyalty.transaction"]._loyalty_format_date(available_on), page
        )


class PendingCreditTourCommon(LedgerAssertions, TestPointOfSaleHttpCommon):
    """Ali holds 20,000 available and 50,000 pending for a week (or until
    ``pending_until``), at a till with a Wallet method (no tests of its own)."""

    pending_until = None

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
                "loyalty_pending_days": 14,
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
        cls.member = cls.env["res.partner"].create({"name": "Ali Ahmadi"})
        cls.member._loyalty_enroll(company=cls.company)
        member = cls.member.with_company(cls.company)
        member.loyalty_adjust("wallet", 20000, "opening balance")
        member._loyalty_earn(
            "wallet",
            50000,
            company=cls.company,
            available_date=cls.pending_until
            or cls.company._loyalty_local_date() + timedelta(days=7),
            description="Cashback of last week's sale",
        )


@tagged("post_install", "-at_install")
class TestPendingCreditTour(PendingCreditTourCommon):
    """The cashier sees the pending credit and pays only what is available."""

    def test_till_shows_pending_credit_and_pays_only_what_is_available(self):
        self.start_pos_tour("LoyaltyWalletPosPendingTour")
        order = self.env["pos.order"].search([("partner_id", "=", self.member.id)])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.loyalty_spent_wallet, 20000)
        member = self.member.with_company(self.company)
        self.assertBalances(member, wallet=98000, company=self.company)
        self.assertEqual(member.loyalty_wallet_pending, 98000)


@tagged("post_install", "-at_install")
class TestPendingCreditTourInPersian(PendingCreditTourCommon):
    """A Persian cashier reads the day the credit becomes spendable in the
    Jalali calendar, as the portal and the SMS print it: 21 March 2030 is
    1 Farvardin 1409 (the tour looks for "1409/01/01")."""

    pending_until = date(2030, 3, 21)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.pos_user.lang = "fa_IR"

    def test_till_shows_the_pending_day_in_the_jalali_calendar(self):
        member = self.member.with_company(self.company)
        self.assertEqual(member.loyalty_wallet_pending_date, self.pending_until)
        self.assertEqual(
            jdatetime.date.fromgregorian(date=self.pending_until).strftime("%Y/%m/%d"),
            "1409/01/01",
        )
        self.start_pos_tour("LoyaltyWalletPosPendingJalaliTour")
