# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.loyalty_wallet.tests.common_books import LoyaltyBooksCommon

from .common import COUPON_SETTINGS


class CouponRedemption:
    """A cashier's sale of ``total`` paid partly (``amount``) with a coupon,
    as the till sends it: a reward line of the coupon's program, then the
    coupon's points confirmed (pos_loyalty's second call)."""

    def cashier_redeems(self, card, amount, total):
        program = card.program_id
        reward = program.reward_ids[:1]
        data = self.create_ui_order_data(
            [
                (self.product, total),
                {
                    "product": reward.discount_line_product_id,
                    "quantity": 1,
                    "price_unit": -amount,
                    "price_subtotal": -amount,
                    "price_subtotal_incl": -amount,
                    "tax_ids": [(6, 0, [])],
                    "is_reward_line": True,
                    "reward_id": reward.id,
                    "coupon_id": card.id,
                    "points_cost": amount,
                    "reward_identifier_code": "coupon",
                },
            ],
            customer=card.partner_id,
            payments=[(self.cash_method, total - amount)],
        )
        order = self.cashier_sync(data)
        order.with_user(self.cashier).confirm_coupon_programs(
            {
                card.id: {
                    "program_id": program.id,
                    "coupon_id": card.id,
                    "code": card.code,
                    "points": -amount,
                }
            }
        )
        self.assertAlmostEqual(order.amount_total, total - amount)
        return order

    def open_coupons_value(self):
        cards = self.env["loyalty.card"].search(
            [("loyalty_conversion_id", "!=", False), ("points", ">", 0)]
        )
        today = fields.Date.context_today(self.env.user)
        return self.company.currency_id.round(
            sum(
                card.points
                for card in cards
                if not card.expiration_date or card.expiration_date >= today
            )
        )


@tagged("post_install", "-at_install")
class TestMixedDayBooks(CouponRedemption, LoyaltyBooksCommon):
    """A whole day of the club, each movement made by whoever makes it in a
    shop: at the end of it the wallet liability account holds, to the cent,
    what the customers hold (credit, and points at their value), and every
    single booking is needed for that."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coupon_account = cls.env["account.account"].create(
            {
                "code": "LWT2200",
                "name": "Coupons Issued",
                "account_type": "liability_current",
            }
        )
        cls.company.write(
            {
                **COUPON_SETTINGS,
                "loyalty_points_signup": 20.0,
                "loyalty_book_points": True,
                "loyalty_coupon_account_id": cls.coupon_account.id,
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="books_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
            company_id=cls.company.id,
        )
        # yesterday's leftovers: a lot due to expire, points to convert, and
        # a customer's credit that a till will spend offline
        cls.member.loyalty_adjust("points", 150, "opening points")
        cls.member._loyalty_earn("wallet", 7000, expiration_date=cls.day(-1))
        cls.traveller = cls.env["res.partner"].create({"name": "Lara Offline"})
        cls.traveller._loyalty_enroll()
        cls.traveller.loyalty_adjust("wallet", 10000, "opening credit")
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE loyalty_transaction SET create_date = create_date - "
            "INTERVAL '1 hour' WHERE partner_id = %s",
            [cls.traveller.id],
        )

    def late_order_with_a_debt(self):
        """A till takes 8,000 from Lara's wallet offline; meanwhile another
        till spends her 10,000 online; the offline order lands with a debt."""
        offline = self.pos_order_data(
            self.traveller,
            20000,
            payments=[(self.wallet_method, 8000), (self.cash_method, 12000)],
        )
        offline["date_order"] = fields.Datetime.to_string(
            fields.Datetime.now() - timedelta(minutes=10)
        )
        self.cashier_sync(
            self.pos_order_data(
                self.traveller, 10000, payments=[(self.wallet_method, 10000)]
            )
        )
        order = self.cashier_sync(offline)
        self.assertEqual(order.loyalty_debt, 8000)
        # its own cashback (1,200) and an invoice's (5,000) pay part of it
        self.accountant_invoice(self.traveller, 50000)

    def live_the_day(self):
        self.env["loyalty.transaction"]._loyalty_expire_due_lots()  # the cron
        member = self.member.with_user(self.manager)
        member.loyalty_adjust("wallet", 85000, "Apology for a late delivery")
        member.loyalty_adjust("wallet", -2000, "Entered twice")
        newcomer = self.env["res.partner"].create({"name": "Reza Tehrani"})
        self.cashier_sync(self.pos_order_data(newcomer, 60000))  # signup bonus
        sale = self.cashier_sync(
            self.pos_order_data(
                self.member,
                500000,
                payments=[(self.wallet_method, 80000), (self.cash_method, 420000)],
            )
        )
        self.cashier_sync(
            self.create_ui_order_data(
                [
                    {
                        "product": sale.lines.product_id,
                        "quantity": -100000,
                        "refunded_orderline_id": sale.lines.id,
                    }
                ],
                customer=self.member,
                payments=[(self.wallet_method, -16000), (self.cash_method, -84000)],
            )
        )
        card = self.member.with_user(self.cashier).loyalty_convert_points(120)
        self.cashier_redeems(card, 5.10, 20)
        self.accountant_invoice(self.member, 200000)
        self.late_order_with_a_debt()
        self.cashier_close_session()
        self.run_booking_job()
        self.run_booking_job()

    def test_mixed_day_books_match_the_ledger(self):
        self.live_the_day()
        operations = set(self.env["loyalty.transaction"].search([]).mapped("operation"))
        self.assertEqual(
            operations, {"earn", "spend", "expire", "adjust", "reverse", "convert"}
        )
        self.assertBooksMatch()
        self.assertEqual(self.account_balance(self.breakage_account), -7000)
        # the coupon account holds what the open coupon is worth: 12.00 made
        # from 120 points (worth 120,000: the difference is the expense's),
        # less the 5.10 it paid at the till
        self.assertEqual(self.account_balance(self.coupon_account), -6.90)
        self.assertEqual(self.open_coupons_value(), 6.90)
        # what Lara still owes is on the debts receivable, not in the liability
        self.assertBalances(self.traveller, wallet=-1800)
        self.assertEqual(self.debts_owed(), 1800)
        self.assertEqual(self.account_balance(self.debt_account), 1800)

    def test_mixed_day_needs_every_booking(self):
        self.live_the_day()
        bookings = self.env["loyalty.booking"].search([])
        self.assertEqual(len(bookings), 2, "one for the session, one for the job")
        for booking in bookings:
            with self.subTest(booking=booking.name):
                savepoint = self.env.cr.savepoint()
                booking.move_id.button_draft()
                figures = self.reconciliation()
                held = self.wallets_held()
                booked = -self.account_balance(self.wallet_account)
                savepoint.close(rollback=True)
                self.env.invalidate_all()
                self.assertNotEqual(figures["unexplained"], 0, booking.name)
                self.assertNotEqual(booked, held, booking.name)
        self.assertBooksMatch()


@tagged("post_install", "-at_install")
class TestCouponBooks(CouponRedemption, LoyaltyBooksCommon):
    """A coupon made from booked points is a liability of its face value
    until the till redeems it (it pays part of the order, like a payment)
    or it expires unused (breakage)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coupon_account = cls.env["account.account"].create(
            {
                "code": "LWT2200",
                "name": "Coupons Issued",
                "account_type": "liability_current",
            }
        )
        cls.company.write(
            {
                **COUPON_SETTINGS,
                "loyalty_book_points": True,
                "loyalty_point_value": 0.1,
                "loyalty_coupon_account_id": cls.coupon_account.id,
            }
        )
        cls.member.loyalty_adjust("points", 150, "opening points")

    def test_coupon_liability_released_when_redeemed_then_when_expired(self):
        card = self.member.with_user(self.cashier).loyalty_convert_points(120)
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.coupon_account), -12.0)

        order = self.cashier_redeems(card, 5.10, 20)
        self.assertAlmostEqual(card.points, 6.90)
        self.cashier_close_session()
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.coupon_account), -6.90)
        # the coupon paid 5.10 of the order: the reward line's debit on its
        # account is balanced by the release
        reward_line = order.lines.filtered("coupon_id")
        income = reward_line._prepare_base_line_for_taxes_computation()["account_id"]
        release = self.env["loyalty.booking"].search([], limit=1)
        self.assertEqual(release.coupon_line_ids, reward_line)
        self.assertEqual(
            sum(
                release.move_id.line_ids.filtered(
                    lambda line: line.account_id == income
                ).mapped("balance")
            ),
            -5.10,
        )
        self.assertBooksMatch()

        card.expiration_date = self.day(-1)  # a month later
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.coupon_account), 0.0)
        self.assertEqual(self.account_balance(self.breakage_account), -6.90)
        bookings = self.env["loyalty.booking"].search_count([])
        self.run_booking_job()
        self.assertEqual(self.env["loyalty.booking"].search_count([]), bookings)
        self.assertEqual(self.account_balance(self.coupon_account), 0.0)
        self.assertEqual(self.account_balance(self.breakage_account), -6.90)
        self.assertBooksMatch()

    def test_coupon_redeemed_by_a_late_order_after_its_expiry_is_released_once(self):
        """The job booked the coupon's 12.00 as breakage when it expired; an
        offline till redeemed 5.10 of it before, synced after: the
        redemption takes the 5.10 back from the breakage income, the coupon
        account is not released a second time."""
        card = self.member.with_user(self.cashier).loyalty_convert_points(120)
        self.run_booking_job()
        card.expiration_date = self.day(-1)
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.coupon_account), 0.0)
        self.assertEqual(self.account_balance(self.breakage_account), -12.0)

        self.cashier_redeems(card, 5.10, 20)
        self.cashier_close_session()
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.coupon_account), 0.0)
        self.assertEqual(self.account_balance(self.breakage_account), -6.90)

    def test_coupon_of_points_not_booked_releases_nothing(self):
        self.company.loyalty_book_points = False
        card = self.member.with_user(self.cashier).loyalty_convert_points(120)
        self.cashier_redeems(card, 5.10, 20)
        self.cashier_close_session()
        self.run_booking_job()
        self.assertEqual(self.account_balance(self.coupon_account), 0.0)
        self.assertFalse(self.env["loyalty.booking"].search([]).coupon_line_ids)
