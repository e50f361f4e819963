# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


@tagged("post_install", "-at_install")
class TestOneClubAtTheTill(LedgerAssertions, TestPointOfSaleHttpCommon):
    """A shop that also runs one of Odoo's own loyalty programs: the cashier
    and the receipt show the club's figures once, under the club's name, and
    the native program's points under that program's name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.native = cls.env["loyalty.program"].create(
            {
                "name": "Stamp Card",
                "program_type": "loyalty",
                "applies_on": "both",
                "trigger": "auto",
                "portal_visible": True,
                "portal_point_name": "Loyalty Points",
                "pos_config_ids": [(6, 0, cls.main_pos_config.ids)],
                "rule_ids": [
                    (0, 0, {"reward_point_mode": "money", "reward_point_amount": 1})
                ],
                "reward_ids": [
                    (
                        0,
                        0,
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "required_points": 1000,
                        },
                    )
                ],
            }
        )
        cls.env.company.write(
            {
                "loyalty_cashback_active": True,
                "loyalty_cashback_type": "percent",
                "loyalty_cashback_value": 10.0,
                "loyalty_points_active": True,
                "loyalty_points_step_amount": 1.0,
                "loyalty_points_per_step": 1.0,
            }
        )
        cls.member = cls.env["res.partner"].create({"name": "Club Customer"})
        cls.member._loyalty_enroll()
        cls.member._loyalty_earn("points", 140, description="opening points")
        cls.env["loyalty.card"].create(
            {"program_id": cls.native.id, "partner_id": cls.member.id, "points": 50}
        )

    def test_one_club_block_at_the_till_and_on_the_receipt(self):
        self.start_pos_tour("LoyaltyOneClubTour")
        order = self.env["pos.order"].search([("partner_id", "=", self.member.id)])
        self.assertEqual(order.state, "paid")
        # 2 x 5.10 earned 10 club points and, apart, 10.2 native points.
        self.assertBalances(self.member, points=150, wallet=1.02)
        card = self.env["loyalty.card"].search(
            [("partner_id", "=", self.member.id), ("program_id", "=", self.native.id)]
        )
        self.assertAlmostEqual(card.points, 60.2)
