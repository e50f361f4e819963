# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestEarning(LoyaltyPosCommon):
    """What a sale earns, sold by the cashier at the till, with the club as
    the Loyalty Manager set it up."""

    def test_percent_cashback_on_paid_pos_order(self):
        self.adjust(self.member, "wallet", 35000)
        order = self.pos_sale(self.member, 500000)
        self.assertEqual(order.state, "paid")
        self.assertEqual(self.earned(order), 50000)
        self.assertMovedBy(self.ledger_rows(order), self.cashier)
        self.assertBalances(self.member, wallet=85000)

    def test_discount_line_lowers_the_earning_base(self):
        """A discount sold as a line of negative price (qty 1, e.g. a
        global discount) lowers what the order earns on."""
        discount = self.create_product("Discount", self.categ_basic, -50000.0)
        order = self.sync_orders(
            self.pos_order_data(
                self.member, 450000, lines=[(self.product, 500000), (discount, 1)]
            )
        )
        self.assertEqual(order.amount_total, 450000)
        self.assertEqual(self.earned(order), 45000)

    def test_product_without_category_earns(self):
        """A product category is optional in Odoo 19: a sale of a product
        without one earns like any other."""
        loose = self.env["product.product"].create(
            {"name": "Loose item", "list_price": 1.0, "taxes_id": [(5, 0, 0)]}
        )
        self.assertFalse(loose.categ_id)
        order = self.sync_orders(
            self.pos_order_data(self.member, 500000, lines=[(loose, 500000)])
        )
        self.assertEqual(self.earned(order), 50000)

    def test_fixed_cashback_needs_minimum_order(self):
        self.configure(
            loyalty_cashback_type="fixed",
            loyalty_cashback_value=5000,
            loyalty_cashback_min_amount=100000,
        )
        below = self.pos_sale(self.member, 99999)
        at_minimum = self.pos_sale(self.member, 100000)
        self.assertEqual(self.earned(below), 0)
        self.assertEqual(self.earned(at_minimum), 5000)
        self.assertBalances(self.member, wallet=5000)

    def test_points_per_step_and_campaign_multiplier(self):
        self.configure(loyalty_cashback_active=False, loyalty_points_active=True)
        order = self.pos_sale(self.member, 130000)
        self.assertEqual(self.earned(order, "points"), 6)
        self.campaign(
            name="Double points",
            date_start=self.day(-1),
            date_end=self.day(1),
            points_multiplier=2,
        )
        order = self.pos_sale(self.member, 130000)
        self.assertEqual(self.earned(order, "points"), 12)
        self.assertBalances(self.member, points=18)

    def test_best_campaign_wins_never_the_sum(self):
        for name, percent in (("Nowruz", 15), ("Yalda", 12)):
            self.campaign(
                name=name,
                date_start=self.day(-1),
                date_end=self.day(1),
                cashback_percent=percent,
            )
        order = self.pos_sale(self.member, 100000)
        self.assertEqual(self.earned(order), 15000)

    def test_caps_compare_offers_after_capping(self):
        self.configure(loyalty_cashback_max_amount=20000)
        self.campaign(
            name="Festival",
            date_start=self.day(-1),
            date_end=self.day(1),
            cashback_percent=5,
            cashback_max_amount=30000,
        )
        order = self.pos_sale(self.member, 500000)
        self.assertEqual(self.earned(order), 25000)

    def test_campaign_outside_its_dates_offers_nothing(self):
        self.campaign(
            name="Last month",
            date_start=self.day(-40),
            date_end=self.day(-10),
            cashback_percent=50,
        )
        order = self.pos_sale(self.member, 1000)
        self.assertEqual(self.earned(order), 100)

    def test_same_order_synced_twice_earns_once(self):
        data = self.pos_order_data(self.member, 500000, uuid="00001-001-0001")
        first = self.sync_orders(data)
        second = self.sync_orders(
            self.pos_order_data(self.member, 500000, uuid="00001-001-0001")
        )
        self.assertEqual(first, second)
        self.assertEqual(self.earned(first), 50000)
        self.assertBalances(self.member, wallet=50000)

    def test_customer_is_enrolled_on_first_purchase_with_signup_points(self):
        self.configure(loyalty_points_active=True, loyalty_points_signup=50)
        newcomer = self.env["res.partner"].create({"name": "Giulia Rossi"})
        order = self.pos_sale(newcomer, 20000)
        self.assertTrue(newcomer.loyalty_member)
        self.assertEqual(newcomer.loyalty_enrolled_on, self.day(0))
        self.assertTrue(newcomer.with_company(self.company).barcode.startswith("042"))
        # signup 50 + 1 point per 20,000
        self.assertBalances(newcomer, wallet=2000, points=51)
        # enrolled by the cashier's sale: the signup points are theirs too
        signup = self.ledger_rows(newcomer)
        self.assertEqual(signup.mapped("amount"), [50])
        self.assertMovedBy(signup | self.ledger_rows(order), self.cashier)
        # a Loyalty User enrolling them again gives nothing more
        newcomer.with_user(self.loyalty_user).action_loyalty_enroll()
        self.assertBalances(newcomer, points=51)

    def test_no_auto_enrolment_means_no_earning(self):
        self.configure(loyalty_auto_enroll=False)
        stranger = self.env["res.partner"].create({"name": "Elif Yilmaz"})
        order = self.pos_sale(stranger, 500000)
        self.assertFalse(stranger.loyalty_member)
        self.assertEqual(self.earned(order), 0)

    def test_lot_validity_counts_from_the_sale_date(self):
        self.configure(loyalty_wallet_validity_days=30)
        data = self.pos_order_data(self.member, 1000)
        data["date_order"] = "2026-01-10 10:00:00"
        order = self.sync_orders(data)
        lot = self.env["loyalty.transaction"].search(
            [("source_model", "=", "pos.order"), ("source_id", "=", order.id)]
        )
        self.assertEqual(str(lot.expiration_date), "2026-02-09")
