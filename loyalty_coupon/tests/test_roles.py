# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LoyaltyCouponCommon


@tagged("post_install", "-at_install")
class TestCouponRoles(LoyaltyCouponCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A card the club did not make from points (e.g. a gift card sold
        # at the counter): its code is not the Loyalty User's business.
        cls.gift_card = cls.env["loyalty.card"].create(
            {"program_id": cls.company._loyalty_coupon_program().id, "points": 500}
        )

    def test_loyalty_user_converts_and_sees_the_clubs_coupons_only(self):
        coupon = self.customer.with_user(self.loyalty_user).loyalty_convert_points(100)
        Card = self.env["loyalty.card"].with_user(self.loyalty_user)
        self.assertEqual(Card.search([]), coupon)
        self.assertTrue(coupon.with_user(self.loyalty_user).code)
        with self.assertRaises(AccessError):
            self.gift_card.with_user(self.loyalty_user).read(["code"])

    def test_cashier_keeps_every_gift_card_at_the_till(self):
        self.cashier.group_ids |= self.env.ref("loyalty_wallet.group_loyalty_user")
        card = self.gift_card.with_user(self.cashier)
        self.assertEqual(card.read(["code"])[0]["code"], self.gift_card.code)
        coupon = self.customer.with_user(self.cashier).loyalty_convert_points(100)
        self.assertEqual(coupon.partner_id, self.customer)

    def test_plain_employee_cannot_convert_someone_elses_points(self):
        for user in (self.employee, self.contact_editor, self.billing):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).loyalty_convert_points(100)
        self.assertBalances(self.customer, points=150)
