# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.loyalty_wallet.tests.common import LedgerAssertions
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


class TierPosTourCommon(LedgerAssertions, TestPointOfSaleHttpCommon):
    """A shop whose Gold tier (spend 1,500) gives a 10 % pricelist, and Gina,
    a Gold member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("loyalty_wallet.group_loyalty_manager")
        # What Settings > Pricelists does: tier pricelists need the feature.
        cls.env.ref("base.group_user").implied_ids |= cls.env.ref(
            "product.group_product_pricelist"
        )
        company = cls.main_pos_config.company_id
        company.write({"loyalty_cashback_active": True, "loyalty_cashback_value": 0.0})
        cls.gold_pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Gold 10%",
                "company_id": company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 10.0,
                        }
                    )
                ],
            }
        )
        cls.gold = cls.env["loyalty.tier"].create(
            {
                "name": "Gold",
                "sequence": 30,
                "company_id": company.id,
                "min_spend": 1500.0,
                "cashback_percent": 5.0,
                "pricelist_id": cls.gold_pricelist.id,
            }
        )
        base_pricelist = cls.main_pos_config.pricelist_id or cls.env[
            "product.pricelist"
        ].create({"name": "Public", "company_id": company.id})
        cls.main_pos_config.write(
            {
                "use_pricelist": True,
                "pricelist_id": base_pricelist.id,
                "available_pricelist_ids": [
                    Command.set((base_pricelist | cls.gold_pricelist).ids)
                ],
            }
        )
        cls.tier_manager = new_test_user(
            cls.env,
            login="tier_tour_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
            company_id=company.id,
        )
        cls.billing = new_test_user(
            cls.env,
            login="tier_tour_billing",
            groups="base.group_user,account.group_account_invoice",
            company_id=company.id,
        )
        cls.customer = cls.env["res.partner"].create({"name": "Gina Gold"})
        cls.customer._loyalty_enroll(company)
        cls.customer.with_company(company).loyalty_tier_assign(cls.gold, "VIP")


@tagged("post_install", "-at_install")
class TestTierPosTour(TierPosTourCommon):
    def test_gold_customer_pays_the_tier_price(self):
        customer = self.customer.with_company(self.main_pos_config.company_id)
        self.assertEqual(customer.property_product_pricelist, self.gold_pricelist)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("LoyaltyTierPricelistTour", timeout=180)
        order = self.env["pos.order"].search(
            [("partner_id", "=", self.customer.id)], limit=1
        )
        self.assertAlmostEqual(order.amount_total, 4.59)
        self.assertEqual(order.loyalty_tier_id, self.gold)


@tagged("post_install", "-at_install")
class TestTierProgressPosTour(TierPosTourCommon):
    """Its own class, so its own browser: the till of another tour keeps its
    orders in the browser's storage."""

    def test_member_sees_what_the_next_tier_takes_and_the_receipt_carries_it(self):
        company = self.main_pos_config.company_id
        silver = (
            self.env["loyalty.tier"]
            .with_user(self.tier_manager)
            .create(
                {
                    "name": "Silver",
                    "sequence": 20,
                    "company_id": company.id,
                    "min_spend": 200.0,
                }
            )
        )
        customer = self.env["res.partner"].create({"name": "Pia Progress"})
        customer._loyalty_enroll(company)
        # The earlier purchase: an invoice the billing user posted.
        invoice = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Earlier purchase",
                                "quantity": 1,
                                "price_unit": 300.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(customer.with_company(company).loyalty_tier_id, silver)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("LoyaltyTierProgressTour", timeout=180)
        order = self.env["pos.order"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(order), 1)
        self.assertIn("1,194.90 more to reach Gold", order.loyalty_tier_progress)
