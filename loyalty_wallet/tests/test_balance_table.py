# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestBalanceTable(LoyaltyPosCommon):
    """Balances live in loyalty.balance; the partner's fields mirror them for
    the current company and still filter, sort and sum like stored fields."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rich = cls.env["res.partner"].create({"name": "Rich member"})
        cls.rich._loyalty_enroll()
        cls.manager = new_test_user(
            cls.env,
            login="lw_balance_manager",
            groups="loyalty_wallet.group_loyalty_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def setUp(self):
        super().setUp()
        self.adjust(self.member, "wallet", 10)
        self.adjust(self.rich, "wallet", 50)

    def test_members_filter_sort_and_sum_by_balance(self):
        Partner = self.env["res.partner"].with_user(self.manager)
        both = self.member | self.rich
        with_credit = Partner.search(
            [("id", "in", both.ids), ("loyalty_wallet_balance", ">", 0)],
            order="loyalty_wallet_balance desc",
        )
        self.assertEqual(with_credit.ids, [self.rich.id, self.member.id])
        self.assertEqual(
            Partner.search(
                [("id", "in", both.ids), ("loyalty_wallet_balance", "<", 20)]
            ),
            self.member,
        )
        [(total,)] = Partner._read_group(
            [("id", "in", both.ids)], aggregates=["loyalty_wallet_balance:sum"]
        )
        self.assertEqual(total, 60)

    def test_balance_of_another_company_is_its_own(self):
        other_company = self.env["res.company"].create(
            {"name": "Second shop", "loyalty_cashback_active": True}
        )
        # Membership is per company, like the balances.
        self.member.with_company(other_company)._loyalty_enroll(other_company)
        self.member.with_company(other_company).loyalty_adjust("wallet", 7, "opening")
        self.assertBalances(self.member, wallet=10)
        self.assertBalances(self.member, wallet=7, company=other_company)

    def test_nobody_writes_a_balance_row(self):
        Balance = self.env["loyalty.balance"].with_user(self.manager)
        row = Balance.search([("partner_id", "=", self.member.id)], limit=1)
        self.assertTrue(row)
        with self.assertRaises(AccessError):
            row.write({"balance": 1000})
        with self.assertRaises(AccessError):
            Balance.create(
                {
                    "partner_id": self.rich.id,
                    "company_id": self.company.id,
                    "kind": "points",
                    "balance": 5,
                }
            )
