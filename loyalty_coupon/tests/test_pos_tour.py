# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from .common import COUPON_SETTINGS


@tagged("post_install", "-at_install")
class TestCouponInPos(LedgerAssertions, TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only our coupon program at the till.
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.env.company.write(COUPON_SETTINGS)
        cls.customer = cls.env["res.partner"].create({"name": "Coupon Customer"})
        cls.customer._loyalty_enroll()
        cls.customer._loyalty_earn("points", 150, description="opening points")

    def test_converted_coupon_pays_part_of_pos_orders(self):
        card = self.customer.loyalty_convert_points(120)
        card.code = "044COUPON12"

        self.start_pos_tour("LoyaltyCouponRedeemTour")
        self.assertAlmostEqual(card.points, 6.9, places=2)
        self.assertEqual(card.loyalty_coupon_state, "valid")

        self.start_pos_tour("LoyaltyCouponRedeemRestTour")
        self.assertAlmostEqual(card.points, 0.0, places=2)
        self.assertEqual(card.loyalty_coupon_state, "used")
        history = card.history_ids.sorted("id")
        self.assertEqual(
            history.mapped("order_model"),
            ["loyalty.transaction", "pos.order", "pos.order"],
        )
        self.assertEqual([round(line.used, 2) for line in history], [0.0, 5.1, 6.9])
        self.assertEqual(history[0].issued, 12.0)
        self.assertFalse(card.source_pos_order_id)
        self.assertBalances(self.customer, points=30)

    def test_cashier_converts_points_and_the_receipt_prints_the_code(self):
        self.start_pos_tour("LoyaltyCouponConvertTour")

        card = self.env["loyalty.card"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("loyalty_conversion_id", "!=", False),
            ]
        )
        self.assertEqual(len(card), 1)
        self.assertEqual(card.points, 12.0)
        self.assertEqual(card.loyalty_conversion_id.sudo().create_uid, self.pos_user)
        self.assertBalances(self.customer, points=30)
