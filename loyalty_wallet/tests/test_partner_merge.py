# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPartnerMerge(LoyaltyPosCommon):
    """Duplicate members merged with Odoo's contact merge, by the person who
    merges contacts (a contact editor), in two companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.loyalty_points_active = True
        cls.company_b = cls.env["res.company"].create(
            {"name": "Shop B", "loyalty_cashback_active": True}
        )
        cls.editor = new_test_user(
            cls.env,
            login="lw_merger",
            groups="base.group_user,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id, cls.company_b.id],
        )
        cls.survivor = cls.env["res.partner"].create(
            {"name": "Sara Rossi", "email": "sara@example.com"}
        )
        cls.duplicate = cls.env["res.partner"].create(
            {"name": "Sara Rossi (shop B)", "email": "sara@example.com"}
        )
        for partner in cls.survivor | cls.duplicate:
            partner._loyalty_enroll()
            partner._loyalty_enroll(cls.company_b)
        for partner, wallet, points, wallet_b in (
            (cls.survivor, 30, 4, 5),
            (cls.duplicate, 70, 6, 15),
        ):
            partner.loyalty_adjust("wallet", wallet, "opening")
            partner.loyalty_adjust("points", points, "opening")
            partner.with_company(cls.company_b).loyalty_adjust(
                "wallet", wallet_b, "opening B"
            )

    def merge(self):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.editor)
            .create(
                {
                    "partner_ids": [Command.set((self.survivor | self.duplicate).ids)],
                    "dst_partner_id": self.survivor.id,
                    "state": "selection",
                }
            )
        )
        wizard.action_merge()

    def test_merge_keeps_every_movement_and_all_of_it_is_spendable(self):
        rows = self.env["loyalty.transaction"].search(
            [("partner_id", "in", (self.survivor | self.duplicate).ids)]
        )
        self.merge()
        self.assertFalse(self.duplicate.exists())
        self.assertEqual(rows.partner_id, self.survivor)
        self.assertTrue(self.survivor.loyalty_member)
        self.assertTrue(self.survivor.with_company(self.company_b).loyalty_member)
        self.assertBalances(self.survivor, wallet=100, points=10)
        self.assertBalances(self.survivor, wallet=20, company=self.company_b)
        self.survivor._loyalty_spend("wallet", 100)
        self.survivor._loyalty_spend("points", 10)
        self.survivor.with_company(self.company_b)._loyalty_spend(
            "wallet", 20, company=self.company_b
        )
        self.assertBalances(self.survivor, wallet=0, points=0)
        self.assertBalances(self.survivor, wallet=0, company=self.company_b)

    def test_merge_into_a_non_member_keeps_membership_and_card(self):
        enrolled_on = self.duplicate.loyalty_enrolled_on
        card = self.duplicate.barcode
        newcomer = self.env["res.partner"].create(
            {"name": "Sara R.", "email": "sara@example.com"}
        )
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.editor)
            .create(
                {
                    "partner_ids": [Command.set((newcomer | self.duplicate).ids)],
                    "dst_partner_id": newcomer.id,
                    "state": "selection",
                }
            )
        )
        wizard.action_merge()
        self.assertTrue(newcomer.loyalty_member)
        self.assertEqual(newcomer.loyalty_enrolled_on, enrolled_on)
        self.assertEqual(newcomer.barcode, card)
        self.assertBalances(newcomer, wallet=70, points=6)
        self.assertBalances(newcomer, wallet=15, company=self.company_b)
