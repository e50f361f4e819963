# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.loyalty_wallet.tools import format_loyalty_amount
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from .common import LedgerAssertions


@tagged("post_install", "-at_install")
class TestPosTomanTour(LedgerAssertions, TestPointOfSaleHttpCommon):
    """An Iranian shop (IRR, shown in toman): the till and the receipt show
    the club's figures as the SMS and the portal do, Odoo's own in rials."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        # fixture: the test company is born in IRR (no journal item yet)
        irr = cls.env.ref("base.IRR").sudo()
        irr.active = True
        return super().setup_independent_company(currency_id=irr.id, **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("loyalty_wallet.group_loyalty_manager")
        cls.company = cls.main_pos_config.company_id
        cls.company.write(
            {
                "loyalty_cashback_active": True,
                "loyalty_cashback_type": "percent",
                "loyalty_cashback_value": 10.0,
                "loyalty_irr_display_unit": "toman",
            }
        )
        cls.main_pos_config.payment_method_ids |= cls.env["pos.payment.method"].create(
            {
                "name": "Wallet",
                "loyalty_payment": "wallet",
                "journal_id": cls.bank_journal.id,
                "outstanding_account_id": (
                    cls.bank_payment_method.outstanding_account_id.id
                ),
            }
        )
        cls.env["product.product"].create(
            {
                "name": "LW Carpet",
                "list_price": 1000050.0,
                "taxes_id": [(5, 0, 0)],
                "available_in_pos": True,
            }
        )
        cls.member = cls.env["res.partner"].create({"name": "Ali Ahmadi"})
        cls.member._loyalty_enroll(company=cls.company)
        cls.member.with_company(cls.company).loyalty_adjust(
            "wallet", 850000, "opening balance"
        )

    def test_till_and_receipt_show_club_amounts_in_toman(self):
        self.assertEqual(self.main_pos_config.currency_id.name, "IRR")
        # the figure the tour reads is the one SMS and portal print
        self.assertEqual(
            format_loyalty_amount(self.env, 850000, self.company),
            "85,000\N{NO-BREAK SPACE}Toman",
        )
        self.start_pos_tour("LoyaltyWalletPosTomanTour")
        order = self.env["pos.order"].search([("partner_id", "=", self.member.id)])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.loyalty_spent_wallet, 850000)
        self.assertEqual(order.loyalty_earned_wallet, 15005)
        self.assertBalances(self.member, wallet=15005, company=self.company)
