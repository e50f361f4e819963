# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import LoyaltyPosCommon, run_migration


class PosTopupCommon(LoyaltyPosCommon):
    """A cashier (POS user), a wallet top-up product and a running top-up
    campaign (no tests of its own: the classes below each run theirs once)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "Top-up cashier",
                "login": "lw_topup_cashier",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("point_of_sale.group_pos_user").id,
                        ]
                    )
                ],
            }
        )
        # Priced 1.00 like the basket, so that quantities are amounts.
        cls.topup = cls.create_product("Wallet top-up", cls.categ_basic, 1.0)
        cls.topup.product_tmpl_id.loyalty_topup = True
        cls.campaign = cls.env["loyalty.campaign"].create(
            {
                "name": "Yalda top-up",
                "date_end": cls.day(30),
                "topup_bonus_percent": 10.0,
            }
        )

    def sync_as_cashier(self, data):
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def sell_topup(self, amount, payments=None, extra_lines=()):
        lines = [(self.topup, amount), *extra_lines]
        total = sum(qty for _product, qty in lines)
        return self.sync_as_cashier(
            self.pos_order_data(
                self.member,
                total,
                payments=payments or [(self.cash_method, total)],
                lines=lines,
            )
        )

    def wallet_rows(self):
        rows = self.env["loyalty.transaction"].search(
            [("partner_id", "=", self.member.id), ("kind", "=", "wallet")], order="id"
        )
        return [(row.operation, row.amount) for row in rows]


@tagged("post_install", "-at_install")
class TestPosTopup(PosTopupCommon):
    """A cashier sells a wallet top-up: the money paid becomes wallet credit
    (with a running campaign's bonus), once, and only what is left of it can
    be returned."""

    def test_topup_synced_twice_credits_once(self):
        order = self.sell_topup(1000000)
        self.assertEqual(self.wallet_rows(), [("topup", 1000000), ("earn", 100000)])
        # The backend payment wizard or a replay processes the paid order again.
        order.with_user(self.cashier)._loyalty_process_paid_order()
        self.assertEqual(self.wallet_rows(), [("topup", 1000000), ("earn", 100000)])
        self.assertBalances(self.member, wallet=1100000)
        self.assertEqual(order.loyalty_topup_wallet, 1000000)
        self.assertEqual(order.loyalty_wallet_balance_after, 1100000)

    def test_topup_earns_neither_cashback_nor_points(self):
        self.company.loyalty_points_active = True
        self.campaign.topup_bonus_percent = 0.0
        order = self.sell_topup(1000000, extra_lines=[(self.product, 40000)])
        # Only the 40,000 basket earns: 4,000 cashback and 2 points.
        self.assertEqual(self.earned(order, "wallet"), 4000)
        self.assertEqual(self.earned(order, "points"), 2)
        self.assertBalances(self.member, wallet=1004000, points=2)

    def test_topup_cannot_be_paid_with_the_wallet(self):
        self.adjust(self.member, "wallet", 50000)
        data = self.pos_order_data(
            self.member,
            50000,
            payments=[(self.wallet_method, 50000)],
            lines=[(self.topup, 50000)],
        )
        with self.assertRaisesRegex(UserError, "paid in cash or by card"):
            with self.env.cr.savepoint():
                self.sync_as_cashier(data)
        self.assertBalances(self.member, wallet=50000)

    def test_topup_needs_a_customer(self):
        data = self.pos_order_data(
            False, 1000, payments=[(self.cash_method, 1000)], lines=[(self.topup, 1000)]
        )
        with self.assertRaisesRegex(UserError, "no customer"):
            with self.env.cr.savepoint():
                self.sync_as_cashier(data)

    def test_returned_topup_after_half_was_spent_gives_back_only_the_rest(self):
        topup_order = self.sell_topup(1000000)  # 1,000,000 + 100,000 bonus
        self.sync_as_cashier(
            self.pos_order_data(
                self.member, 550000, payments=[(self.wallet_method, 550000)]
            )
        )
        self.assertBalances(self.member, wallet=550000)
        with self.assertRaisesRegex(UserError, "450,000.00"):
            with self.env.cr.savepoint():
                self.pos_refund(
                    topup_order, 1000000, payments=[(self.cash_method, -1000000)]
                )
        refund = self.pos_refund(
            topup_order, 450000, payments=[(self.cash_method, -450000)]
        )
        # The unspent 450,000 goes back in cash, with 45% of the bonus.
        self.assertEqual(refund.loyalty_topup_wallet, -450000)
        self.assertEqual(refund.loyalty_earned_wallet, -45000)
        self.assertBalances(self.member, wallet=55000)
        lot = self.env["loyalty.transaction"].search(
            [("source_id", "=", topup_order.id), ("operation", "=", "topup")]
        )
        self.assertEqual(lot.remaining, 0)
        with self.assertRaisesRegex(UserError, "0.00"):
            with self.env.cr.savepoint():
                self.pos_refund(topup_order, 1000, payments=[(self.cash_method, -1000)])

    def test_topup_earns_nothing_for_a_cashier_replaying_it_as_points(self):
        """Paying a top-up with points would turn points into cash credit."""
        self.company.loyalty_points_active = True
        self.adjust(self.member, "points", 10)
        data = self.pos_order_data(
            self.member,
            10000,
            payments=[(self.points_method, 10000)],
            lines=[(self.topup, 10000)],
        )
        with self.assertRaisesRegex(UserError, "paid in cash or by card"):
            with self.env.cr.savepoint():
                self.sync_as_cashier(data)
        self.assertBalances(self.member, wallet=0, points=10)


@tagged("post_install", "-at_install")
class TestPosTopupAccounting(PosTopupCommon):
    """A top-up is a liability, not revenue; its bonus is a cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wallet_account = cls.env["account.account"].create(
            {"code": "LWT2190", "name": "Wallet", "account_type": "liability_current"}
        )
        cls.expense_account = cls.env["account.account"].create(
            {"code": "LWT6190", "name": "Cashback", "account_type": "expense"}
        )
        cls.company.write(
            {
                "loyalty_wallet_account_id": cls.wallet_account.id,
                "loyalty_cashback_expense_account_id": cls.expense_account.id,
            }
        )

    def balance(self, account):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return sum(lines.mapped("balance"))

    def test_topup_is_booked_on_the_wallet_liability(self):
        self.assertEqual(
            self.topup.product_tmpl_id._get_product_accounts()["income"],
            self.wallet_account,
        )
        self.sell_topup(1000000)
        self.pos_session.post_closing_cash_details(1000000)
        result = self.pos_session.close_session_from_ui()
        self.assertTrue(result.get("successful"), result)
        # credit 1,000,000 paid and 100,000 of bonus granted (the cost)
        self.assertAlmostEqual(self.balance(self.wallet_account), -1100000)
        self.assertAlmostEqual(self.balance(self.expense_account), 100000)

    def product_manager(self):
        """Who sets up the products of the till, in the shop's company only."""
        return new_test_user(
            self.env,
            login="lw_topup_pos_manager",
            groups="base.group_user,point_of_sale.group_pos_manager,"
            "product.group_product_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )

    def test_a_topup_cannot_be_given_a_tax(self):
        """Taxed, a top-up of 1,000,000 would credit the wallet 1,000,000 and
        book only its untaxed part on the liability."""
        manager = self.product_manager()
        vat = self.env["account.tax"].create(
            {"name": "VAT 10%", "amount": 10.0, "company_id": self.company.id}
        )
        topup = self.topup.product_tmpl_id.with_user(manager)
        with self.assertRaisesRegex(ValidationError, "cannot carry customer taxes"):
            topup.taxes_id = vat
        gift_box = (
            self.env["product.template"].with_user(manager).create({"name": "Gift box"})
        )
        with self.assertRaisesRegex(ValidationError, "VAT 10%"):
            gift_box.write({"loyalty_topup": True, "taxes_id": [Command.set(vat.ids)]})
        with self.assertRaisesRegex(ValidationError, "VAT 10%"):
            self.env["product.template"].with_user(manager).create(
                {
                    "name": "Top-up",
                    "loyalty_topup": True,
                    "taxes_id": [Command.set(vat.ids)],
                }
            )

    def test_a_topup_takes_no_tax_however_it_is_made(self):
        """No default tax of its company nor of the others (core gives a
        product without company every company's default sales tax), and a
        product made a top-up loses its taxes in every company, also those
        the manager of one shop can't see."""
        manager = self.product_manager()
        vat = self.env["account.tax"].create(
            {"name": "VAT 10%", "amount": 10.0, "company_id": self.company.id}
        )
        self.company.account_sale_tax_id = vat
        others = self.env["res.company"].search([]) - self.company
        self.assertTrue(
            others.account_sale_tax_id, "fixture: another company has a default tax"
        )
        Template = self.env["product.template"].with_user(manager)
        Product = self.env["product.product"].with_user(manager)
        made = [
            Template.create({"name": "Top-up 1", "loyalty_topup": True}),
            Product.create({"name": "Top-up 2", "loyalty_topup": True}),
        ]
        for model, name in ((Template, "Top-up 3"), (Product, "Top-up 4")):
            with Form(model) as form:
                form.name = name
                form.available_in_pos = True
                self.assertTrue(form.taxes_id, "the form proposes the default tax")
                form.loyalty_topup = True
            made.append(form.record)
        # a product shared by the companies, given each one's default tax
        shared = self.env["product.template"].create({"name": "Gift card"})
        self.assertTrue(shared.sudo().taxes_id - vat, "fixture: another company's tax")
        with Form(shared.with_user(manager)) as form:
            form.available_in_pos = True
            form.loyalty_topup = True
        made.append(shared)
        for product in made:
            self.assertTrue(product.loyalty_topup, product.name)
            self.assertFalse(product.sudo().taxes_id, product.name)
        shipped = self.env.ref("loyalty_wallet.product_wallet_topup")
        self.assertTrue(shipped.loyalty_topup)
        self.assertFalse(shipped.taxes_id)

    def test_the_upgrade_removes_the_taxes_core_gave_a_topup(self):
        """Before 19.0.1.5.0, core gave the shipped top-up (a product without
        company) every other company's default sales tax."""
        vat = self.env["account.tax"].create(
            {"name": "VAT 10%", "amount": 10.0, "company_id": self.company.id}
        )
        shipped = self.env.ref("loyalty_wallet.product_wallet_topup")
        taxed = self.env["product.template"].create(
            {"name": "Gift box", "taxes_id": [Command.set(vat.ids)]}
        )
        self.env.cr.execute(
            "INSERT INTO product_taxes_rel (prod_id, tax_id) VALUES (%s, %s)",
            [shipped.product_tmpl_id.id, vat.id],
        )
        self.env.invalidate_all()
        self.assertEqual(shipped.taxes_id, vat)
        run_migration(self.env.cr, "19.0.1.5.0", "19.0.1.4.0")
        self.env.invalidate_all()
        self.assertFalse(shipped.taxes_id)
        self.assertEqual(taxed.taxes_id, vat, "other products keep their taxes")
