# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions


@tagged("post_install", "-at_install")
class TestTierValidation(LedgerAssertions, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Other Shop"})
        # A Loyalty Manager of both shops (both ticked in the company
        # switcher) defines and assigns the tiers.
        shops = cls.company | cls.other_company
        cls.manager = new_test_user(
            cls.env,
            "tier_validation_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(shops.ids)],
        )
        manager_env = cls.env(
            user=cls.manager, context={"allowed_company_ids": shops.ids}
        )
        cls.Tier = manager_env["loyalty.tier"]
        cls.partner = cls.env["res.partner"].create({"name": "Elif Yilmaz"})
        cls.partner_as_manager = cls.partner.with_env(manager_env)

    def create_tier(self, **values):
        return self.Tier.create({"name": "Bronze", "min_order_amount": 100, **values})

    def test_tier_without_qualification_rule_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "at least one qualification rule"):
            self.Tier.create({"name": "Nothing", "cashback_percent": 5})

    def test_negative_values_are_refused(self):
        for field in ("min_spend", "window_days", "cashback_percent", "retention_days"):
            with self.subTest(field=field):
                with self.assertRaisesRegex(ValidationError, "cannot have negative"):
                    self.create_tier(**{field: -1})

    def test_cashback_above_hundred_percent_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot exceed 100"):
            self.create_tier(cashback_percent=120)

    def test_pricelist_of_another_company_is_refused(self):
        foreign = self.env["product.pricelist"].create(
            {"name": "Other shop prices", "company_id": self.other_company.id}
        )
        with self.assertRaisesRegex(ValidationError, "belongs to Other Shop"):
            self.create_tier(pricelist_id=foreign.id)

    def test_shared_pricelist_is_accepted(self):
        shared = self.env["product.pricelist"].create(
            {"name": "Shared", "company_id": False}
        )
        self.assertEqual(self.create_tier(pricelist_id=shared.id).pricelist_id, shared)

    def test_overlapping_tiers_are_allowed(self):
        self.create_tier(sequence=1)
        self.create_tier(sequence=2)

    def test_manual_change_needs_a_manager(self):
        tier = self.create_tier()
        clerk = new_test_user(
            self.env,
            "tier_clerk",
            groups="base.group_user,loyalty_wallet.group_loyalty_user",
        )
        with self.assertRaises(AccessError):
            self.partner.with_user(clerk).loyalty_tier_assign(tier, "because")

    def test_manual_change_needs_a_reason(self):
        tier = self.create_tier()
        with self.assertRaisesRegex(UserError, "reason"):
            self.partner_as_manager.loyalty_tier_assign(tier, "  ")

    def test_manual_change_refuses_a_tier_of_another_company(self):
        tier = self.create_tier(company_id=self.other_company.id)
        with self.assertRaisesRegex(UserError, "belongs to Other Shop"):
            self.partner_as_manager.loyalty_tier_assign(tier, "because")

    def test_manual_change_is_recorded(self):
        tier = self.create_tier()
        self.partner_as_manager.loyalty_tier_assign(
            tier, "VIP", locked_until="2099-01-01"
        )
        self.assertEqual(self.partner.loyalty_tier_id, tier)
        self.assertEqual(str(self.partner.loyalty_tier_locked_until), "2099-01-01")
        self.assertRecordValues(
            self.partner.loyalty_tier_history_ids,
            [
                {
                    "kind": "manual",
                    "reason": "VIP",
                    "new_tier_id": tier.id,
                    "user_id": self.manager.id,
                }
            ],
        )
        # In another company the customer holds no tier.
        self.assertFalse(self.partner.with_company(self.other_company).loyalty_tier_id)

    def test_held_tier_cannot_be_deleted(self):
        tier = self.create_tier()
        self.partner_as_manager.loyalty_tier_assign(tier, "VIP")
        with self.assertRaisesRegex(UserError, "archive it instead"):
            tier.unlink()
