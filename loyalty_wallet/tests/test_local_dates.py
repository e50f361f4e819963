# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltyPosCommon

LAST_DAY = date(2026, 3, 10)


@tagged("post_install", "-at_install")
class TestLocalDates(LoyaltyPosCommon):
    """The shop's calendar, not UTC's: New York (UTC-5) and Tehran (UTC+3:30)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_role_users()

    def shop_in(self, tz):
        self.company.partner_id.tz = tz

    def cashier_sale_at(self, utc_moment, amount=100, payments=None):
        data = self.pos_order_data(self.member, amount, payments=payments)
        data["date_order"] = utc_moment
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def test_sale_at_20h_in_new_york_on_the_last_day_gets_the_campaign(self):
        self.shop_in("America/New_York")
        self.env["loyalty.campaign"].create(
            {
                "name": "Spring",
                "date_start": date(2026, 3, 1),
                "date_end": LAST_DAY,
                "cashback_percent": 20,
            }
        )
        # 20:00 in New York on 10 March is 01:00 UTC on 11 March.
        order = self.cashier_sale_at("2026-03-11 01:00:00")
        self.assertEqual(self.earned(order), 20)

    def test_lot_lasts_all_of_its_last_day_in_new_york(self):
        self.shop_in("America/New_York")
        self.lot(self.member, "wallet", 30, LAST_DAY)
        with freeze_time("2026-03-11 01:00:00"):  # 20:00 on 10 March, local
            self.env["loyalty.transaction"]._loyalty_expire_due_lots()
            self.assertBalances(self.member, wallet=30)
            self.member.with_user(self.cashier)._loyalty_spend("wallet", 30)
        self.assertBalances(self.member, wallet=0)

    def test_lot_valid_until_10_march_in_tehran_is_spendable_all_that_day(self):
        self.shop_in("Asia/Tehran")
        self.lot(self.member, "wallet", 30, LAST_DAY)
        with freeze_time("2026-03-10 20:00:00"):  # 23:30 on 10 March, local
            self.member.with_user(self.cashier)._loyalty_spend("wallet", 10)
        # 00:30 on 11 March in Tehran, still 10 March in UTC: gone.
        with freeze_time("2026-03-10 21:00:00"):
            with self.assertRaises(UserError):
                self.member.with_user(self.cashier)._loyalty_spend("wallet", 10)
            balances = self.member.with_user(self.cashier).loyalty_pos_balances(
                self.config.id
            )
            self.assertEqual(balances["wallet"], 0)

    def test_expired_lot_is_not_spendable_before_the_nightly_expiry(self):
        self.lot(self.member, "wallet", 40, self.day(-1))
        self.lot(self.member, "wallet", 5, self.day(30))
        balances = self.member.with_user(self.cashier).loyalty_pos_balances(
            self.config.id
        )
        self.assertEqual(balances["wallet"], 5)
        with self.assertRaises(UserError):
            self.cashier_sale_at(
                self.pos_order_data(self.member, 1)["date_order"],
                amount=20,
                payments=[(self.wallet_method, 20)],
            )
        self.member.with_user(self.cashier)._loyalty_spend("wallet", 5)
        self.assertBalances(self.member, wallet=0)

    def test_enrolment_date_is_the_shops_day(self):
        self.shop_in("America/New_York")
        newcomer = self.env["res.partner"].create({"name": "Late shopper"})
        with freeze_time("2026-03-11 01:00:00"):
            newcomer.with_user(self.loyalty_user).action_loyalty_enroll()
        self.assertEqual(newcomer.loyalty_enrolled_on, LAST_DAY)
