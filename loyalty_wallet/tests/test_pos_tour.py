# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from .common import LedgerAssertions
from .common_pos import pos_payload


@tagged("post_install", "-at_install")
class TestPosLoyaltyTours(LedgerAssertions, TestPointOfSaleHttpCommon):
    """The cashier's side, in a real browser: see the member, pay with the
    wallet or points, read the receipt; then the ledger tells the same."""

    CARD = "0421234567890"

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
                "loyalty_points_active": True,
                "loyalty_points_step_amount": 20000.0,
                "loyalty_points_per_step": 1.0,
                "loyalty_point_value": 1000.0,
            }
        )
        outstanding = cls.bank_payment_method.outstanding_account_id
        methods = cls.env["pos.payment.method"].create(
            [
                {
                    "name": name,
                    "loyalty_payment": kind,
                    "journal_id": cls.bank_journal.id,
                    "outstanding_account_id": outstanding.id,
                }
                for name, kind in (("Wallet", "wallet"), ("Points", "points"))
            ]
        )
        cls.wallet_method, cls.points_method = methods
        cls.main_pos_config.payment_method_ids |= methods
        cls.sofa = cls.env["product.product"].create(
            {
                "name": "LW Sofa",
                "list_price": 500000.0,
                "taxes_id": [(5, 0, 0)],
                "available_in_pos": True,
            }
        )
        cls.member = cls.env["res.partner"].create({"name": "Ali Ahmadi"})
        cls.member._loyalty_enroll(company=cls.company)
        cls.member.with_company(cls.company).barcode = cls.CARD

    def start_pos_tour(self, tour_name, login="pos_user", **kwargs):
        """Every tour logs in as the cashier: the core's ``pos_user`` (Point
        of Sale user, no loyalty group), never as the administrator."""
        self.assertFalse(
            self.pos_user.has_group("loyalty_wallet.group_loyalty_user")
            or self.pos_user.has_group("point_of_sale.group_pos_manager")
        )
        return super().start_pos_tour(tour_name, login=login, **kwargs)

    def spent_by(self, order):
        return self.env["loyalty.transaction"].search(
            [("source_model", "=", "pos.order"), ("source_id", "=", order.id)]
        )

    def ledger(self, kind):
        rows = self.env["loyalty.transaction"].search(
            [("partner_id", "=", self.member.id), ("kind", "=", kind)], order="id"
        )
        return [(row.operation, row.amount) for row in rows]

    def test_pay_part_with_the_wallet_and_the_rest_in_cash(self):
        self.member.with_company(self.company).loyalty_adjust(
            "wallet", 85000, "opening balance"
        )
        self.start_pos_tour("LoyaltyWalletPosWalletTour")
        order = self.env["pos.order"].search([("partner_id", "=", self.member.id)])
        self.assertEqual(order.state, "paid")
        self.assertEqual(
            self.ledger("wallet"),
            [("adjust", 85000), ("spend", -85000), ("earn", 41500)],
        )
        self.assertMovedBy(self.spent_by(order), self.pos_user)
        self.assertBalances(self.member, wallet=41500, company=self.company)

    def test_pay_with_points_capped_at_their_value(self):
        self.member.with_company(self.company).loyalty_adjust(
            "points", 30, "opening points"
        )
        self.start_pos_tour("LoyaltyWalletPosPointsTour")
        order = self.env["pos.order"].search([("partner_id", "=", self.member.id)])
        points_paid = order.payment_ids.filtered(
            lambda p: p.payment_method_id == self.points_method
        )
        self.assertEqual(points_paid.amount, 30000)
        # 470,000 paid in cash: 23 points and 47,000 cashback
        self.assertEqual(
            self.ledger("points"), [("adjust", 30), ("spend", -30), ("earn", 23)]
        )
        self.assertBalances(self.member, wallet=47000, points=23, company=self.company)

    def test_a_contact_of_a_member_company_pays_with_its_wallet(self):
        acme = self.env["res.partner"].create({"name": "ACME", "is_company": True})
        acme._loyalty_enroll(company=self.company)
        acme.with_company(self.company).loyalty_adjust("wallet", 85000, "opening")
        john = self.env["res.partner"].create(
            {"name": "John Doe", "parent_id": acme.id}
        )
        self.start_pos_tour("LoyaltyWalletPosChildContactTour")
        order = self.env["pos.order"].search([("partner_id", "=", john.id)])
        self.assertEqual(order.state, "paid")
        spent = self.env["loyalty.transaction"].search(
            [("source_model", "=", "pos.order"), ("source_id", "=", order.id)]
        )
        self.assertEqual(spent.partner_id, acme)
        self.assertBalances(acme, wallet=41500, company=self.company)

    def test_topup_with_a_bonus_then_pay_with_it(self):
        self.env["loyalty.campaign"].create(
            {
                "name": "Top-up week",
                "company_id": self.company.id,
                # from yesterday: the shop's day may still be yesterday in UTC
                "date_start": fields.Date.add(fields.Date.today(), days=-1),
                "date_end": fields.Date.add(fields.Date.today(), days=7),
                "topup_bonus_percent": 10.0,
            }
        )
        # The product our data ships (the test setup archives every product).
        topup = self.env.ref("loyalty_wallet.product_wallet_topup").product_tmpl_id
        topup.invalidate_recordset(["active"])
        topup.active = True
        self.start_pos_tour("LoyaltyWalletPosTopupTour")
        topup_order, sofa_order = self.env["pos.order"].search(
            [("partner_id", "=", self.member.id)], order="id"
        )
        self.assertEqual(topup_order.loyalty_topup_wallet, 100000)
        # 390,000 paid in cash for the sofa earns 39,000 cashback and 19 points
        self.assertEqual(
            self.ledger("wallet"),
            [("topup", 100000), ("earn", 10000), ("spend", -110000), ("earn", 39000)],
        )
        self.assertEqual(sofa_order.state, "paid")
        self.assertBalances(self.member, wallet=39000, company=self.company)

    def test_scanning_the_portal_card_selects_the_member(self):
        new_test_user(
            self.env,
            login="lw_tour_portal",
            password="lw_tour_portal",
            name="Ali Ahmadi",
            groups="base.group_portal",
            partner_id=self.member.id,
            company_id=self.company.id,
        )
        self.authenticate("lw_tour_portal", "lw_tour_portal")
        page = self.url_open("/my/loyalty").text
        # what the phone shows under its QR is what the till scans
        shown = re.search(r'o_loyalty_card_number">(\d+)<', page).group(1)
        self.assertEqual(shown, self.CARD)
        self.assertIn('class="o_loyalty_card_qr"', page)
        self.assertIn(f'alt="Barcode {self.CARD}"', page)
        self.start_pos_tour("LoyaltyWalletPosScanCardTour")

    def test_member_found_by_phone_in_any_usual_form(self):
        self.member.phone = "+98 912 345 6789"
        turkish = self.env["res.partner"].create(
            {"name": "Ayse Yilmaz", "phone": "+90 532 123 4567"}
        )
        turkish._loyalty_enroll(company=self.company)
        self.start_pos_tour("LoyaltyWalletPosPhoneTour")

    def test_a_product_shows_its_points_price(self):
        self.member.with_company(self.company).loyalty_adjust(
            "points", 1200, "opening points"
        )
        # 31.9 points' worth: the till shows 32 pts (whole points, rounded up)
        self.env["product.product"].create(
            {
                "name": "LW Lamp",
                "list_price": 31900.0,
                "taxes_id": [(5, 0, 0)],
                "available_in_pos": True,
            }
        )
        self.start_pos_tour("LoyaltyWalletPosPointsPriceTour")

    def wallet_sale_synced(self, sofas=1, points=0):
        """Ali's sofa of 500,000 (or ``sofas`` of them), 85,000 paid from his
        wallet (and ``points`` points, worth 1,000 each) and the rest in cash,
        synced as the till does."""
        member = self.member.with_company(self.company)
        member.loyalty_adjust("wallet", 85000, "opening balance")
        payments = [(self.wallet_method, 85000)]
        if points:
            member.loyalty_adjust("points", points, "opening points")
            payments.append((self.points_method, points * 1000))
        self.main_pos_config.with_user(self.pos_user).open_ui()
        # the cashier's till syncs it (the POS user, not the administrator)
        session = self.main_pos_config.current_session_id.with_user(self.pos_user)
        cash = self.main_pos_config.payment_method_ids.filtered("is_cash_count")[:1]
        rest = sofas * 500000 - sum(amount for _method, amount in payments)
        payload = pos_payload(
            session,
            self.sofa,
            sofas,
            partner=self.member,
            payments=[*payments, (cash, rest)],
        )
        self.env["pos.order"].with_user(self.pos_user).sync_from_ui([payload])
        sale = self.env["pos.order"].search([("uuid", "=", payload["uuid"])])
        self.assertEqual(sale.user_id, self.pos_user)
        self.assertMovedBy(self.spent_by(sale), self.pos_user)
        # 10 % cashback and a point per 20,000 on what was paid in cash
        self.assertBalances(
            self.member, wallet=rest / 10, points=rest // 20000, company=self.company
        )
        self.assertEqual(sale.loyalty_refundable_wallet, 85000)
        self.assertEqual(sale.loyalty_refundable_points, points)
        return sale, cash

    def refund_of(self, sale):
        refund = self.env["pos.order"].search(
            [("lines.refunded_orderline_id.order_id", "=", sale.id)]
        )
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.amount_total, -500000)  # one sofa
        return refund

    def assertLedgerSums(self, wallet=None, points=None):
        """The member's balances are these and the sums of his ledger rows."""
        self.member.invalidate_recordset()
        member = self.member.with_company(self.company)
        wallet = member.loyalty_wallet_balance if wallet is None else wallet
        points = member.loyalty_points if points is None else points
        self.assertBalances(
            self.member, wallet=wallet, points=points, company=self.company
        )
        self.assertAlmostEqual(sum(a for _op, a in self.ledger("wallet")), wallet, 2)
        self.assertAlmostEqual(sum(a for _op, a in self.ledger("points")), points, 2)

    def test_refund_gives_back_exactly_the_refundable_wallet_share(self):
        """The cashier refunds the whole order: the till proposes the 85,000
        the server says is refundable, refuses more (and, refund to the wallet
        only, less), and the receipt tells what went back to the wallet and
        what cashback was taken back."""
        sale, cash = self.wallet_sale_synced()
        self.assertTrue(self.company.loyalty_refund_to_wallet_only)
        self.start_pos_tour("LoyaltyWalletPosRefundTour")
        refund = self.refund_of(sale)
        paid = {p.payment_method_id: p.amount for p in refund.payment_ids}
        self.assertEqual(paid, {self.wallet_method: -85000, cash: -415000})
        self.assertEqual(refund.loyalty_spent_wallet, -85000)
        self.assertEqual(refund.loyalty_earned_wallet, -41500)
        self.assertEqual(refund.loyalty_earned_points, -20)
        sale.invalidate_recordset()
        self.assertEqual(sale.loyalty_refundable_wallet, 0)
        # back where Ali was before the sale
        self.assertLedgerSums(wallet=85000, points=0)

    def test_refund_may_give_back_less_to_the_wallet_when_the_company_allows(self):
        """Without "refund to the wallet only", the cashier gives 50,000 of
        the 85,000 back to the wallet and the rest in cash."""
        sale, cash = self.wallet_sale_synced()
        self.company.loyalty_refund_to_wallet_only = False
        self.start_pos_tour("LoyaltyWalletPosRefundFreeSplitTour")
        refund = self.refund_of(sale)
        paid = {p.payment_method_id: p.amount for p in refund.payment_ids}
        self.assertEqual(paid, {self.wallet_method: -50000, cash: -450000})
        self.assertEqual(refund.loyalty_spent_wallet, -50000)
        self.assertEqual(refund.loyalty_earned_wallet, -41500)
        self.assertLedgerSums(wallet=50000, points=0)

    def test_partial_refund_gives_back_the_returned_units_share(self):
        """Ali returns one of two sofas (500,000 of 1,000,000 paid with 85,000
        from the wallet and 30 points): the till proposes that sofa's share of
        each, 42,500 and 15 points, from the server's per-unit figures."""
        sale, cash = self.wallet_sale_synced(sofas=2, points=30)
        self.start_pos_tour("LoyaltyWalletPosPartialRefundTour")
        refund = self.refund_of(sale)
        paid = {p.payment_method_id: p.amount for p in refund.payment_ids}
        self.assertEqual(
            paid,
            {self.wallet_method: -42500, self.points_method: -15000, cash: -442500},
        )
        self.assertEqual(refund.loyalty_spent_wallet, -42500)
        self.assertEqual(refund.loyalty_spent_points, -15)
        # half of the 88,500 cashback and 44 points the sale earned
        self.assertEqual(refund.loyalty_earned_wallet, -44250)
        self.assertEqual(refund.loyalty_earned_points, -22)
        sale.invalidate_recordset()
        self.assertEqual(sale.loyalty_refundable_wallet, 42500)
        self.assertEqual(sale.loyalty_refundable_points, 15)
        self.assertLedgerSums(wallet=88500 + 42500 - 44250, points=44 + 15 - 22)
