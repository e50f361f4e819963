# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.loyalty_wallet.models.res_partner import ResPartner

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestMembershipPerCompany(LoyaltyPosCommon):
    """Ali is a member of shop A's club; shop B has its own club, signup
    points and auto-enrolment setting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"loyalty_points_active": True, "loyalty_points_signup": 3})
        cls.company_b = cls.setup_other_company(name="Shop B")["company"]
        cls.company_b.write(
            {
                "loyalty_cashback_active": True,
                "loyalty_cashback_value": 10.0,
                "loyalty_points_active": True,
                "loyalty_points_step_amount": 1000.0,
                "loyalty_points_per_step": 1.0,
                "loyalty_points_signup": 7,
            }
        )
        cls.billing_b = new_test_user(
            cls.env,
            login="lw_billing_b",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )

    def setUp(self):
        super().setUp()
        self.events = []
        notify = ResPartner._loyalty_notify
        test = self

        def record(records, event, transactions, **values):
            test.events.append((event, records.env.company, transactions))
            return notify(records, event, transactions, **values)

        self.patch(ResPartner, "_loyalty_notify", record)

    def invoice_in_b(self, amount):
        move = (
            self.env["account.move"]
            .with_user(self.billing_b)
            .with_company(self.company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.member.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "x", "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def test_a_member_of_a_is_not_a_member_of_b(self):
        self.assertTrue(self.member.with_company(self.company).loyalty_member)
        self.assertFalse(self.member.with_company(self.company_b).loyalty_member)

    def test_first_purchase_in_b_enrols_in_b_with_bs_signup_points(self):
        self.invoice_in_b(5000)
        member_b = self.member.with_company(self.company_b)
        self.assertTrue(member_b.loyalty_member)
        self.assertEqual(member_b.loyalty_enrolled_on, fields.Date.today())
        # B's 7 signup points and 5 points for 5,000; 500 cashback
        self.assertBalances(self.member, wallet=500, points=12, company=self.company_b)
        enrolled = [(e, c) for e, c, _rows in self.events if e == "enrolled"]
        self.assertEqual(enrolled, [("enrolled", self.company_b)])

    def test_bs_auto_enrol_setting_is_respected(self):
        self.company_b.loyalty_auto_enroll = False
        move = self.invoice_in_b(5000)
        self.assertFalse(self.member.with_company(self.company_b).loyalty_member)
        self.assertEqual(self.earned(move), 0)
        self.assertTrue(self.member.with_company(self.company).loyalty_member)
