# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tiers as the customers who try to game them see them: returns after
qualifying, a lapsed member coming back with a small purchase, points that
reach a tier on the order that earns them."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import LoyaltyTierCommon


@tagged("post_install", "-at_install")
class TestTierReturns(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_webplanex_tiers()
        cls.accountant = new_test_user(
            cls.env,
            login="tier_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
        )

    def accountant_invoice(self, amount, move_type="out_invoice", reversed_entry=None):
        Move = self.env["account.move"].with_user(self.accountant)
        move = Move.create(
            {
                "move_type": move_type,
                "partner_id": self.member.id,
                "reversed_entry_id": reversed_entry.id if reversed_entry else False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Basket",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move.sudo(False).with_user(self.env.user)

    def test_gold_returned_the_next_day_is_not_gold(self):
        order = self.cashier_sale(self.member, 2000.0)
        self.assertEqual(self.tier_of(self.member), self.gold)
        with self.on_day(1):
            refund = self.cashier_refund(order, 2000.0)
        self.assertFalse(self.tier_of(self.member))
        last = self.history(self.member)[-1]
        self.assertRecordValues(
            last,
            [
                {
                    "kind": "down",
                    "cause": "returned",
                    "old_tier_id": self.gold.id,
                    "new_tier_id": False,
                    "source_model": "pos.order",
                    "source_id": refund.id,
                }
            ],
        )
        self.assertIn("Gold", last.reason)
        self.assertIn(refund.name, last.reason)

    def test_partial_return_lands_on_the_tier_still_reached(self):
        order = self.cashier_sale(self.member, 2000.0)
        with self.on_day(1):
            self.cashier_refund(order, 1850.0)
        # 150 of the order stay: Bronze's single order of 100, not Silver's 200.
        self.assertEqual(self.tier_of(self.member), self.bronze)
        next_order = self.cashier_sale(self.member, 50.0)
        self.assertAlmostEqual(self.earned(next_order), 1.0)

    def test_credit_note_of_the_qualifying_invoice_takes_the_tier_back(self):
        invoice = self.accountant_invoice(1200.0)
        self.assertEqual(self.tier_of(self.member), self.gold)
        self.accountant_invoice(1200.0, "out_refund", reversed_entry=invoice)
        self.assertFalse(self.tier_of(self.member))
        self.assertEqual(self.history(self.member)[-1].cause, "returned")

    def test_cancelled_invoice_takes_the_tier_back(self):
        invoice = self.accountant_invoice(1200.0)
        self.assertEqual(self.tier_of(self.member), self.gold)
        invoice.with_user(self.accountant).button_cancel()
        self.assertFalse(self.tier_of(self.member))

    def test_returned_order_does_not_count_as_an_order(self):
        regular = self.create_tier("Regular", 40, min_order_count=3)
        first = self.cashier_sale(self.member, 10.0)
        self.cashier_sale(self.member, 10.0)
        self.cashier_refund(first, 10.0)
        self.cashier_sale(self.member, 10.0)
        self.assertNotEqual(self.tier_of(self.member), regular)
        self.cashier_sale(self.member, 10.0)
        self.assertEqual(self.tier_of(self.member), regular)

    def test_reversed_points_do_not_count(self):
        self.company.write(
            {"loyalty_points_active": True, "loyalty_points_step_amount": 1.0}
        )
        starred = self.create_tier("Starred", 40, min_points=500.0)
        order = self.cashier_sale(self.member, 600.0)
        self.assertEqual(self.tier_of(self.member), starred)
        self.cashier_refund(order, 600.0)
        self.assertFalse(self.tier_of(self.member))

    def test_return_of_an_order_that_did_not_earn_the_tier_keeps_it(self):
        self.cashier_sale(self.member, 2000.0)
        small = self.cashier_sale(self.member, 150.0)
        self.cashier_refund(small, 150.0)
        self.assertEqual(self.tier_of(self.member), self.gold)
        self.assertEqual(len(self.history(self.member)), 1)


@tagged("post_install", "-at_install")
class TestTierLapse(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_webplanex_tiers()

    def test_lapsed_member_buying_little_is_downgraded_once(self):
        self.cashier_sale(self.member, 250.0)
        self.assertEqual(self.tier_of(self.member), self.silver)
        events = self.tier_events()
        with self.on_day(180):
            order = self.cashier_sale(self.member, 5.0)
        self.assertFalse(self.tier_of(self.member))
        self.assertEqual(self.history(self.member).mapped("kind"), ["up", "down"])
        self.assertEqual(self.history(self.member)[-1].cause, "lapsed")
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["old_tier"], self.silver)
        self.assertFalse(events[0]["new_tier"])
        self.assertFalse(self.earned(order))

    def test_lapsed_member_regains_a_tier_only_by_its_entry_rules(self):
        self.cashier_sale(self.member, 250.0)
        with self.on_day(31):
            self.review()
        self.assertFalse(self.tier_of(self.member))
        with self.on_day(40):
            self.cashier_sale(self.member, 50.0)
            # The 250 of before the lapse no longer counts.
            self.assertFalse(self.tier_of(self.member))
            self.cashier_sale(self.member, 120.0)
        self.assertEqual(self.tier_of(self.member), self.bronze)

    def test_lapse_with_a_big_enough_order_is_one_change(self):
        self.cashier_sale(self.member, 250.0)
        events = self.tier_events()
        with self.on_day(60):
            self.cashier_sale(self.member, 150.0)
        self.assertEqual(self.tier_of(self.member), self.bronze)
        self.assertEqual(len(events), 1)
        self.assertEqual(
            (events[0]["old_tier"], events[0]["new_tier"]), (self.silver, self.bronze)
        )
        self.assertEqual(
            self.member.with_company(self.company).loyalty_tier_renewed_on, self.day(60)
        )


@tagged("post_install", "-at_install")
class TestTierPointsUpgrade(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"loyalty_points_active": True, "loyalty_points_step_amount": 1.0}
        )
        cls.silver = cls.create_tier(
            "Silver", 20, min_points=200.0, cashback_percent=5.0
        )
        cls.gold = cls.create_tier("Gold", 30, min_points=500.0, cashback_percent=10.0)

    def test_order_points_reach_the_tier_on_that_order(self):
        self.member.with_user(self.tier_manager).loyalty_adjust(
            "points", 490.0, "Imported from the old card"
        )
        self.assertEqual(self.tier_of(self.member), self.silver)
        order = self.cashier_sale(self.member, 20.0)
        self.assertEqual(self.tier_of(self.member), self.gold)
        self.assertEqual(order.loyalty_tier_id, self.gold)
        self.assertAlmostEqual(self.earned(order), 2.0)

    def test_bonus_points_upgrade_at_once(self):
        self.member.with_user(self.tier_manager).loyalty_adjust(
            "points", 250.0, "Apology for the late delivery"
        )
        self.assertEqual(self.tier_of(self.member), self.silver)
        self.assertIn("bonus points", self.history(self.member).reason)

    def test_signup_points_upgrade_at_once(self):
        self.company.loyalty_points_signup = 200.0
        newcomer = self.env["res.partner"].create({"name": "Sara Sadeghi"})
        newcomer._loyalty_enroll(self.company)
        self.assertEqual(self.tier_of(newcomer), self.silver)

    def test_signup_points_with_the_first_order_are_one_change(self):
        self.company.loyalty_points_signup = 200.0
        newcomer = self.env["res.partner"].create({"name": "Sara Sadeghi"})
        events = self.tier_events()
        self.cashier_sale(newcomer, 300.0)
        self.assertEqual(self.tier_of(newcomer), self.gold)
        self.assertEqual(len(events), 1)

    def test_nightly_review_upgrades(self):
        # Points credited by a path that reviews nothing (a script, an import).
        self.member._loyalty_earn("points", 250.0, description="Import")
        self.assertFalse(self.tier_of(self.member))
        self.review()
        self.assertEqual(self.tier_of(self.member), self.silver)


@tagged("post_install", "-at_install")
class TestTierConfigChanges(LoyaltyTierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_webplanex_tiers()

    def test_archived_tier_pays_nothing_and_moves_its_members(self):
        self.cashier_sale(self.member, 250.0)
        self.assertEqual(self.tier_of(self.member), self.silver)
        self.silver.with_user(self.tier_manager).action_archive()
        self.assertEqual(self.tier_of(self.member), self.bronze)
        self.assertRecordValues(
            self.history(self.member)[-1],
            [{"old_tier_id": self.silver.id, "cause": "config"}],
        )
        order = self.cashier_sale(self.member, 50.0)
        self.assertAlmostEqual(self.earned(order), 1.0)  # Bronze's 2 %

    def test_archived_tier_offers_no_cashback(self):
        self.cashier_sale(self.member, 250.0)
        # Archived behind the engine's back (an import): still no benefit.
        self.env.cr.execute(
            "UPDATE loyalty_tier SET active = FALSE WHERE id = %s", [self.silver.id]
        )
        self.silver.invalidate_recordset(["active"])
        offers = self.company._loyalty_cashback_offers(self.member, self.day(0))
        self.assertNotIn("Silver", [offer["label"] for offer in offers])

    def test_tier_pricelist_change_moves_its_members(self):
        own = self.create_pricelist("Own", 0.0)
        first = self.create_pricelist("Silver 5 %", 5.0)
        second = self.create_pricelist("Silver 8 %", 8.0)
        self.silver.pricelist_id = first
        member = self.member.with_company(self.company)
        member.property_product_pricelist = own
        self.cashier_sale(self.member, 250.0)
        member.invalidate_recordset()
        self.assertEqual(member.property_product_pricelist, first)
        self.silver.with_user(self.tier_manager).pricelist_id = second
        member.invalidate_recordset()
        self.assertEqual(member.property_product_pricelist, second)
        self.assertEqual(member.loyalty_tier_saved_pricelist_id, own)
        self.silver.with_user(self.tier_manager).pricelist_id = False
        member.invalidate_recordset()
        self.assertEqual(member.property_product_pricelist, own)
        self.assertFalse(member.loyalty_tier_saved_pricelist_id)

    def test_new_tier_pricelist_reaches_its_members(self):
        own = self.create_pricelist("Own", 0.0)
        member = self.member.with_company(self.company)
        member.property_product_pricelist = own
        self.cashier_sale(self.member, 250.0)
        silver_list = self.create_pricelist("Silver 5 %", 5.0)
        self.silver.with_user(self.tier_manager).pricelist_id = silver_list
        member.invalidate_recordset()
        self.assertEqual(member.property_product_pricelist, silver_list)
        self.silver.with_user(self.tier_manager).action_archive()
        member.invalidate_recordset()
        self.assertEqual(member.property_product_pricelist, own)
