# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestSecurity(LoyaltyPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create({"name": "Someone else"})
        cls.other._loyalty_enroll()
        cls.portal_user = new_test_user(
            cls.env,
            login="loyal_portal",
            groups="base.group_portal",
            partner_id=cls.member.id,
        )
        cls.loyalty_user = new_test_user(
            cls.env,
            login="loyal_user",
            groups="loyalty_wallet.group_loyalty_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def setUp(self):
        super().setUp()
        self.mine = self.adjust(self.member, "wallet", 100)
        self.theirs = self.adjust(self.other, "wallet", 50)

    def test_portal_user_sees_only_their_own_movements(self):
        Transaction = self.env["loyalty.transaction"].with_user(self.portal_user)
        self.assertEqual(Transaction.search([]), self.mine)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.portal_user).read(["amount"])

    def test_loyalty_user_reads_but_cannot_adjust_or_forge(self):
        Transaction = self.env["loyalty.transaction"].with_user(self.loyalty_user)
        self.assertEqual(Transaction.search([]), self.mine | self.theirs)
        with self.assertRaises(AccessError):
            self.member.with_user(self.loyalty_user).loyalty_adjust(
                "wallet", 10, "gift"
            )
        with self.assertRaises(UserError):
            Transaction.create(
                {
                    "partner_id": self.member.id,
                    "kind": "wallet",
                    "operation": "earn",
                    "amount": 1000,
                    "description": "forged",
                }
            )
        self.assertBalances(self.member, wallet=100)

    def test_other_company_sees_nothing(self):
        company_b = self.env["res.company"].create(
            {
                "name": "Shop B",
                "loyalty_cashback_active": True,
                "loyalty_cashback_value": 5,
            }
        )
        user_b = new_test_user(
            self.env,
            login="loyal_user_b",
            groups="loyalty_wallet.group_loyalty_manager",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        Transaction = self.env["loyalty.transaction"].with_user(user_b)
        self.assertFalse(Transaction.search([]))
        # nor company A's monthly figures in the owner's overview
        self.env["loyalty.overview.month"].sudo().create(
            {
                "company_id": self.company.id,
                "month": self.day(0).replace(day=1),
                "kind": "wallet",
                "net": 123456,
            }
        )
        self.assertFalse(
            self.env["loyalty.overview.month"].with_user(user_b).search_read([])
        )
        campaign_a = self.env["loyalty.campaign"].create(
            {"name": "A only", "date_start": self.day(0), "date_end": self.day(1)}
        )
        self.assertNotIn(
            campaign_a, self.env["loyalty.campaign"].with_user(user_b).search([])
        )
        # The same customer has separate balances per company.
        member_b = self.member.with_user(user_b).with_company(company_b)
        self.assertEqual(member_b.loyalty_wallet_balance, 0)
        member_b.action_loyalty_enroll()  # membership is per company
        member_b.loyalty_adjust("wallet", 7, "B's own credit")
        self.assertBalances(self.member, wallet=7, company=company_b)
        self.assertBalances(self.member, wallet=100, company=self.company)
