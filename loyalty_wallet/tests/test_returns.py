# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a return does to credit and points (``loyalty.return``), as the
cashier who syncs refunds from the till and the accountant who posts credit
notes, with the seed's numbers: 500,000 orders, 85,000 wallets, 10 %
cashback on what is not paid with the wallet."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class ReturnsCommon(LoyaltyPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_role_users()

    def cashier_sync(self, data):
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def sale(self, amount, wallet=0, partner=None, lines=None):
        payments = [(self.wallet_method, wallet)] if wallet else []
        total = sum(qty * product.lst_price for product, qty in lines or []) or amount
        if total - wallet:
            payments.append((self.cash_method, total - wallet))
        return self.cashier_sync(
            self.pos_order_data(
                partner or self.member, amount, payments=payments, lines=lines
            )
        )

    def return_lines(self, order, quantity, wallet=0, cash=None, line=None):
        """A refund order synced by the cashier returning ``quantity`` units of
        ``line`` (default: the order's first line), giving ``wallet`` back to
        the wallet and the rest in cash."""
        line = line or order.lines[:1]
        refunded = quantity * line.price_unit
        cash = refunded - wallet if cash is None else cash
        payments = [(self.wallet_method, -wallet)] if wallet else []
        if cash:
            payments.append((self.cash_method, -cash))
        return self.cashier_sync(
            self.create_ui_order_data(
                [
                    {
                        "product": line.product_id,
                        "quantity": -quantity,
                        "refunded_orderline_id": line.id,
                    }
                ],
                customer=order.partner_id,
                payments=payments,
            )
        )

    def rows(self, source, operation=None):
        domain = [("source_model", "=", source._name), ("source_id", "=", source.id)]
        if operation:
            domain.append(("operation", "=", operation))
        return self.env["loyalty.transaction"].search(domain, order="id")


@tagged("post_install", "-at_install")
class TestReturnNetting(ReturnsCommon):
    """Rule 1: the give-back and the take-back of a return are netted."""

    def test_return_after_spending_the_cashback_gives_no_extra_credit(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        self.assertBalances(self.member, wallet=41500)  # 10 % of 415,000 in cash
        self.sale(41500, wallet=41500)  # the cashback spent on other goods
        self.assertBalances(self.member, wallet=0)
        refund = self.return_lines(order, 500000, wallet=85000)
        # 85,000 given back, 41,500 taken back from it: what the customer had
        # before the purchase, less what they spent on the other goods.
        self.assertBalances(self.member, wallet=85000 - 41500)
        self.assertFalse(any(self.rows(refund).mapped("shortfall")))

    def test_only_a_net_take_back_beyond_the_balance_is_a_shortfall(self):
        self.adjust(self.member, "wallet", 10000)
        order = self.sale(500000, wallet=10000)  # earns 49,000
        self.sale(49000, wallet=49000)
        refund = self.return_lines(order, 100000, wallet=2000)
        # gives back 2,000, takes back 9,800: 7,800 net, none left to take
        self.assertBalances(self.member, wallet=0)
        take_back = self.rows(refund).filtered(lambda r: r.amount < 0 or r.shortfall)
        self.assertAlmostEqual(take_back.shortfall, 7800)

    def test_the_return_is_posted_once_however_often_it_syncs(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        data = self.create_ui_order_data(
            [
                {
                    "product": self.product,
                    "quantity": -100000,
                    "refunded_orderline_id": order.lines.id,
                }
            ],
            customer=self.member,
            payments=[(self.wallet_method, -17000), (self.cash_method, -83000)],
        )
        refund = self.cashier_sync(data)
        # a replay of the paid refund (core's sync ignores a second sync of
        # a paid order, the routine must not count on it)
        refund._loyalty_process_paid_order()
        self.assertEqual(len(self.rows(refund)), 2)
        self.assertBalances(self.member, wallet=41500 + 17000 - 8300)


@tagged("post_install", "-at_install")
class TestReturnLimits(ReturnsCommon):
    """Rule 2: over all returns, never more given back than paid nor more
    taken back than earned."""

    def test_three_partial_returns_give_and_take_back_everything_once(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        given = 0
        for quantity, wallet in ((100000, 17000), (150000, 25500), (250000, 42500)):
            order.invalidate_recordset(["loyalty_refundable_wallet"])
            self.assertEqual(order.loyalty_refundable_wallet, 85000 - given)
            self.return_lines(order, quantity, wallet=wallet)
            given += wallet
        order.invalidate_recordset(["loyalty_refundable_wallet"])
        self.assertBalances(self.member, wallet=85000)
        self.assertEqual(order.loyalty_refundable_wallet, 0)
        earned = self.rows(order, "earn")
        self.assertEqual(earned._loyalty_left_to_take_back(), 0)

    def test_the_last_partial_return_takes_back_the_rounding_left(self):
        # 3 x 100,000.02 earns 30,000.01; a third of it rounds to 10,000.00,
        # so three returns of one unit each would leave the customer 0.01 of
        # cashback on goods all returned: the last one takes the rest.
        product = self.create_product("Vase", self.categ_basic, 100000.02)
        order = self.sale(0, lines=[(product, 3)])
        earned = self.rows(order, "earn")
        self.assertAlmostEqual(earned.amount, 30000.01, places=2)
        for _return in range(3):
            self.return_lines(order, 1)
        self.assertEqual(earned._loyalty_left_to_take_back(), 0)
        self.assertBalances(self.member, wallet=0)

    def test_a_draft_refund_does_not_make_a_partial_return_the_last(self):
        product = self.create_product("Vase", self.categ_basic, 100000.0)
        order = self.sale(0, lines=[(product, 3)])
        line = order.lines
        draft = self.create_ui_order_data(
            [{"product": product, "quantity": -2, "refunded_orderline_id": line.id}],
            customer=self.member,
            payments=[],
        )
        draft["state"] = "draft"
        self.cashier_sync(draft)
        self.return_lines(order, 1)
        # one unit of three came back: a third of the 30,000 earned
        self.assertBalances(self.member, wallet=20000)

    def test_two_partial_returns_take_back_their_shares(self):
        order = self.sale(500000)
        self.return_lines(order, 200000)
        self.assertBalances(self.member, wallet=30000)
        self.return_lines(order, 300000)
        self.assertBalances(self.member, wallet=0)

    def test_a_return_asking_more_than_the_wallet_share_is_refused(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        with self.assertRaisesRegex(UserError, "must give .*17,000.00 back"):
            self.return_lines(order, 100000, wallet=30000)
        self.company.loyalty_refund_to_wallet_only = False
        with self.assertRaisesRegex(UserError, "at most .*17,000.00"):
            self.return_lines(order, 100000, wallet=30000)

    def test_nothing_more_is_given_back_after_a_full_return(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        self.return_lines(order, 500000, wallet=85000)
        with self.assertRaisesRegex(UserError, "only .*0.00 of wallet payments left"):
            self.env["loyalty.return"].with_user(self.cashier)._loyalty_return(
                order, order, goods_share=0.0, given={"wallet": 1000}
            )


@tagged("post_install", "-at_install")
class TestReturnToWallet(ReturnsCommon):
    """Rule 3: the wallet/points share goes back to the wallet/points."""

    def test_a_wallet_paid_order_cannot_be_refunded_in_cash(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        with self.assertRaisesRegex(UserError, "must give .*85,000.00 back"):
            self.return_lines(order, 500000, wallet=0)
        self.assertBalances(self.member, wallet=41500)

    def test_the_company_may_allow_refunding_it_by_another_method(self):
        self.company.loyalty_refund_to_wallet_only = False
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        self.return_lines(order, 500000, wallet=0)
        self.assertBalances(self.member, wallet=0)  # only the take-back

    def test_points_paid_go_back_to_points(self):
        self.company.loyalty_points_active = True
        self.adjust(self.member, "points", 30)  # 30,000 at 1,000 a point
        order = self.cashier_sync(
            self.pos_order_data(
                self.member,
                100000,
                payments=[(self.points_method, 30000), (self.cash_method, 70000)],
            )
        )
        points_after_sale = self.member.loyalty_points
        earned_points = self.earned(order, "points")
        line = order.lines
        refund = self.cashier_sync(
            self.create_ui_order_data(
                [
                    {
                        "product": line.product_id,
                        "quantity": -50000,
                        "refunded_orderline_id": line.id,
                    }
                ],
                customer=self.member,
                payments=[(self.points_method, -15000), (self.cash_method, -35000)],
            )
        )
        given = self.rows(refund).filtered(
            lambda r: r.kind == "points" and r.amount > 0
        )
        self.assertEqual(given.amount, 15)
        self.assertBalances(
            self.member, points=points_after_sale + 15 - earned_points / 2
        )


@tagged("post_install", "-at_install")
class TestExchange(ReturnsCommon):
    """Rule 4: an order with returned and sold lines is both."""

    def test_exchange_spends_for_the_sale_and_returns_the_return(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        self.assertBalances(self.member, wallet=41500)
        # returns 100,000 (17,000 of it paid from the wallet) and buys for
        # 300,000, 50,000 of it from the wallet: the till sends the net
        exchange = self.cashier_sync(
            self.create_ui_order_data(
                [
                    {
                        "product": self.product,
                        "quantity": -100000,
                        "refunded_orderline_id": order.lines.id,
                    },
                    (self.product, 300000),
                ],
                customer=self.member,
                payments=[
                    (self.wallet_method, 50000 - 17000),
                    (self.cash_method, 200000 - 33000),
                ],
            )
        )
        rows = self.rows(exchange)
        self.assertEqual(
            sorted(rows.mapped(lambda r: (r.operation, r.amount))),
            sorted(
                [
                    ("reverse", 17000),  # the returned share of the wallet payment
                    ("reverse", -8300),  # the returned share of the cashback
                    ("spend", -50000),  # the sale part paid from the wallet
                    ("earn", 25000),  # 10 % of the 250,000 paid in cash
                ]
            ),
        )
        self.assertBalances(self.member, wallet=41500 + 17000 - 8300 - 50000 + 25000)

    def test_an_exchange_never_skips_a_wallet_payment(self):
        order = self.sale(500000)
        self.adjust(self.member, "wallet", 100000)
        exchange = self.cashier_sync(
            self.create_ui_order_data(
                [
                    {
                        "product": self.product,
                        "quantity": -100000,
                        "refunded_orderline_id": order.lines.id,
                    },
                    (self.product, 150000),
                ],
                customer=self.member,
                payments=[(self.wallet_method, 50000)],
            )
        )
        self.assertEqual(self.rows(exchange, "spend").amount, -50000)

    def test_a_return_cannot_pay_out_the_wallet_in_cash(self):
        order = self.sale(500000)
        self.adjust(self.member, "wallet", 100000)

        def cash_out():
            return self.create_ui_order_data(
                [
                    {
                        "product": self.product,
                        "quantity": -100000,
                        "refunded_orderline_id": order.lines.id,
                    }
                ],
                customer=self.member,
                payments=[(self.wallet_method, 50000), (self.cash_method, -150000)],
            )

        with self.assertRaisesRegex(UserError, "must give .*0.00 back"):
            self.cashier_sync(cash_out())
        self.company.loyalty_refund_to_wallet_only = False
        with self.assertRaisesRegex(UserError, "more with wallet credit"):
            self.cashier_sync(cash_out())
        self.assertBalances(self.member, wallet=150000)


@tagged("post_install", "-at_install")
class TestReturnsAndExpiry(ReturnsCommon):
    """Rule 5: expiry is not a take-back; credit given back is not expired."""

    def test_credit_given_back_gets_the_companys_validity_from_the_return(self):
        self.company.loyalty_wallet_validity_days = 30
        self.lot(self.member, "wallet", 85000, self.day(2))
        order = self.sale(500000, wallet=85000)
        with freeze_time(fields.Datetime.now() + timedelta(days=10)):
            refund = self.return_lines(order, 500000, wallet=85000)
            given = self.rows(refund).filtered(lambda r: r.amount > 0)
            self.assertEqual(given.amount, 85000)
            self.assertEqual(
                given.expiration_date, fields.Date.today() + timedelta(days=30)
            )
            self.assertBalances(self.member, wallet=85000)

    def test_return_after_partial_expiry_takes_back_the_whole_share(self):
        self.company.loyalty_wallet_validity_days = 30
        self.adjust(self.member, "wallet", 100000)  # never expires
        order = self.sale(500000)  # 50,000 cashback, due in 30 days
        self.member._loyalty_spend("wallet", 20000)  # from the cashback lot first
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            self.env["loyalty.transaction"]._loyalty_expire_due_lots()
            self.assertBalances(self.member, wallet=100000)
            self.return_lines(order, 500000)
            # the 30,000 that expired was not taken back: the return takes
            # back the whole 50,000 earned
            self.assertBalances(self.member, wallet=50000)

    def test_a_return_synced_the_next_day_lands_the_same(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        data = self.create_ui_order_data(
            [
                {
                    "product": self.product,
                    "quantity": -250000,
                    "refunded_orderline_id": order.lines.id,
                }
            ],
            customer=self.member,
            payments=[(self.wallet_method, -42500), (self.cash_method, -207500)],
        )
        with freeze_time(fields.Datetime.now() + timedelta(days=1)):
            self.cashier_sync(data)
        self.assertBalances(self.member, wallet=41500 + 42500 - 20750)


class InvoiceReturnsCommon(ReturnsCommon):
    """The billing user's invoices and credit notes (no tests of its own, so
    that the classes using it don't run another class's tests again)."""

    def accountant_invoice(self, amount, partner=None, post=True):
        move = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.member).id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "quantity": amount,
                                "price_unit": 1.0,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def credit_note(self, invoice, amount):
        note = self.draft_credit_note(invoice, self.billing)
        note.invoice_line_ids.quantity = amount
        note.action_post()
        return note


@tagged("post_install", "-at_install")
class TestInvoiceReturns(InvoiceReturnsCommon):
    """Rule 6: invoices reset, edited, re-posted, deleted; credit notes
    cancelled; a credit note of a POS order's invoice."""

    def test_reset_to_draft_takes_back_and_reposting_earns_the_corrected_amount(self):
        move = self.accountant_invoice(200000)
        self.assertBalances(self.member, wallet=20000)
        move.button_draft()
        self.assertBalances(self.member, wallet=0)
        move.invoice_line_ids.quantity = 150000
        move.action_post()
        self.assertBalances(self.member, wallet=15000)

    def test_the_last_credit_note_takes_back_the_rounding_left(self):
        # As at the till: three credit notes of a third each take back all of
        # 30,000.01, not 3 x 10,000.00.
        move = self.accountant_invoice(3, post=False)
        move.invoice_line_ids.price_unit = 100000.02
        move.action_post()
        earned = self.rows(move, "earn")
        self.assertAlmostEqual(earned.amount, 30000.01, places=2)
        for _note in range(3):
            self.credit_note(move, 1)
        self.assertEqual(earned._loyalty_left_to_take_back(), 0)
        self.assertBalances(self.member, wallet=0)

    def test_reposting_for_another_customer_moves_the_earning(self):
        other = self.env["res.partner"].create({"name": "Sara Karimi"})
        move = self.accountant_invoice(200000)
        move.button_draft()
        move.partner_id = other
        move.action_post()
        self.assertBalances(self.member, wallet=0)
        self.assertBalances(other, wallet=20000)

    def test_a_deleted_draft_leaves_no_earning(self):
        move = self.accountant_invoice(200000)
        move.button_draft()
        move.unlink()
        self.assertBalances(self.member, wallet=0)

    def test_cancelling_a_credit_note_restores_what_it_took(self):
        move = self.accountant_invoice(200000)
        note = self.credit_note(move, 100000)
        self.assertBalances(self.member, wallet=10000)
        note.button_cancel()
        self.assertBalances(self.member, wallet=20000)
        note.button_draft()
        note.action_post()
        self.assertBalances(self.member, wallet=10000)

    def test_a_credit_note_of_a_pos_order_takes_back_the_orders_cashback(self):
        data = self.pos_order_data(
            self.member, 500000, payments=[(self.cash_method, 500000)]
        )
        data["to_invoice"] = True
        order = self.cashier_sync(data)
        self.assertBalances(self.member, wallet=50000)
        self.credit_note(order.account_move, 100000)
        self.assertBalances(self.member, wallet=40000)

    def test_a_cancelled_credit_note_of_an_invoiced_topup_gives_the_credit_back(self):
        topup = self.create_product("Wallet top-up", self.categ_basic, 1.0)
        topup.product_tmpl_id.loyalty_topup = True
        data = self.pos_order_data(
            self.member,
            100000,
            payments=[(self.cash_method, 100000)],
            lines=[(topup, 100000)],
        )
        data["to_invoice"] = True
        order = self.cashier_sync(data)
        self.assertBalances(self.member, wallet=100000)
        note = self.credit_note(order.account_move, 40000)
        self.assertBalances(self.member, wallet=60000)
        # The cash was not paid back after all: the credit it bought returns.
        note.button_cancel()
        self.assertBalances(self.member, wallet=100000)

    def test_an_invoice_cannot_sell_a_topup_outside_the_till(self):
        """The customer would pay for credit the wallet never gets (and the
        liability would hold money no wallet holds)."""
        topup = self.create_product("Wallet top-up", self.categ_basic, 1.0)
        topup.product_tmpl_id.loyalty_topup = True
        move = self.accountant_invoice(100000, post=False)
        move.invoice_line_ids.product_id = topup
        with self.assertRaisesRegex(UserError, "top-ups are sold at the Point of Sale"):
            move.action_post()
        self.assertEqual(move.state, "draft")
        self.assertBalances(self.member, wallet=0)

    def test_a_credit_note_cannot_pay_out_a_wallet_paid_pos_order(self):
        self.adjust(self.member, "wallet", 85000)
        data = self.pos_order_data(
            self.member,
            500000,
            payments=[(self.wallet_method, 85000), (self.cash_method, 415000)],
        )
        data["to_invoice"] = True
        order = self.cashier_sync(data)
        with self.assertRaisesRegex(UserError, "return it at the Point of Sale"):
            self.credit_note(order.account_move, 100000)


@tagged("post_install", "-at_install")
class TestNoRewardProducts(ReturnsCommon):
    """Rule 7: products and categories marked "no cashback or points"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tobacco = cls.env["product.category"].create(
            {"name": "Tobacco", "loyalty_no_reward": True}
        )
        cigars = cls.env["product.category"].create(
            {"name": "Cigars", "parent_id": tobacco.id}
        )
        cls.cigarettes = cls.create_product("Cigarettes", cigars, 1.0)
        cls.gift_card = cls.create_product("Gift Card", cls.categ_basic, 1.0)
        cls.gift_card.loyalty_no_reward = True

    def test_excluded_products_earn_nothing_at_the_till(self):
        order = self.sale(
            0,
            lines=[
                (self.product, 500000),
                (self.cigarettes, 200000),
                (self.gift_card, 100000),
            ],
        )
        self.assertEqual(self.earned(order), 50000)
        # returning the cigarettes takes nothing back, the basket its share
        self.return_lines(order, 200000, line=order.lines[1])
        self.assertBalances(self.member, wallet=50000)
        self.return_lines(order, 100000, line=order.lines[0])
        self.assertBalances(self.member, wallet=40000)

    def test_excluded_products_earn_nothing_on_invoices(self):
        move = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.member.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": qty,
                                "price_unit": 1.0,
                                "tax_ids": [],
                            }
                        )
                        for product, qty in (
                            (self.product, 200000),
                            (self.cigarettes, 50000),
                        )
                    ],
                }
            )
        )
        move.action_post()
        self.assertBalances(self.member, wallet=20000)


@tagged("post_install", "-at_install")
class TestBackendReturn(ReturnsCommon):
    """The backend *Return Products* goes through the same routine (a POS
    manager's job: cashiers return at the till)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop_manager = new_test_user(
            cls.env,
            login="lw_shop_manager",
            groups="base.group_user,point_of_sale.group_pos_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def backend_return(self, order, payments):
        refund = order.with_user(self.shop_manager)._refund()
        for method, amount in payments:
            self.env["pos.make.payment"].with_user(self.shop_manager).with_context(
                active_id=refund.id
            ).create({"payment_method_id": method.id, "amount": amount}).check()
        return refund

    def test_return_products_gives_the_wallet_share_back(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        refund = self.backend_return(
            order, [(self.wallet_method, -85000), (self.cash_method, -415000)]
        )
        self.assertEqual(refund.state, "paid")
        self.assertBalances(self.member, wallet=85000)

    def test_return_products_in_cash_only_is_refused(self):
        self.adjust(self.member, "wallet", 85000)
        order = self.sale(500000, wallet=85000)
        with self.assertRaisesRegex(UserError, "must give .*85,000.00 back"):
            self.backend_return(order, [(self.cash_method, -500000)])


@tagged("post_install", "-at_install")
class TestReturnAbuse(InvoiceReturnsCommon):
    """What a hostile reviewer tried: each of these once created or kept
    credit."""

    def test_spending_then_resetting_and_reposting_earns_only_once(self):
        move = self.accountant_invoice(200000)
        self.member._loyalty_spend("wallet", 20000)
        move.button_draft()  # nothing left to take back: a shortfall
        move.action_post()
        self.assertBalances(self.member, wallet=0)
        move.button_draft()
        move.action_post()
        self.assertBalances(self.member, wallet=0)

    def test_a_posted_credit_note_survives_a_reset_of_its_invoice(self):
        move = self.accountant_invoice(200000)
        note = self.credit_note(move, 100000)
        move.button_draft()
        move.action_post()
        self.assertBalances(self.member, wallet=10000)
        note.button_cancel()
        self.assertBalances(self.member, wallet=20000)

    def test_a_fully_credited_invoice_corrected_and_reposted_earns(self):
        move = self.accountant_invoice(200000)
        self.credit_note(move, 200000)
        self.assertBalances(self.member, wallet=0)
        move.button_draft()
        move.invoice_line_ids.quantity = 300000
        move.action_post()
        # 30,000 earned, the credit note still takes its 20,000 share back
        self.assertBalances(self.member, wallet=10000)

    def test_returning_the_new_item_of_an_exchange(self):
        self.adjust(self.member, "wallet", 100000)
        first = self.sale(100000, wallet=50000)  # earns 5,000: W 55,000
        exchange = self.cashier_sync(
            self.create_ui_order_data(
                [
                    {
                        "product": self.product,
                        "quantity": -100000,
                        "refunded_orderline_id": first.lines.id,
                    },
                    (self.product, 100000),
                ],
                customer=self.member,
                payments=[],
            )
        )
        self.assertBalances(self.member, wallet=55000)
        new_line = exchange.lines.filtered(lambda line: line.qty > 0)
        self.assertEqual(new_line.loyalty_wallet_unit_share, 0.5)
        self.return_lines(exchange, 100000, wallet=50000, line=new_line)
        # back to where the customer started, nothing paid out in cash
        self.assertBalances(self.member, wallet=100000)

    def test_a_refund_line_priced_low_still_takes_back_its_share(self):
        order = self.sale(100000)
        data = self.create_ui_order_data(
            [
                {
                    "product": self.product,
                    "quantity": -100000,
                    "refunded_orderline_id": order.lines.id,
                }
            ],
            customer=self.member,
            payments=[(self.cash_method, -100000)],
        )
        line = data["lines"][0][2]
        line.update(price_subtotal=-1, price_subtotal_incl=-1)
        self.cashier_sync(data)
        self.assertBalances(self.member, wallet=0)

    def test_a_return_of_more_than_was_sold_is_refused(self):
        order = self.sale(100000)
        self.return_lines(order, 60000)
        with self.assertRaisesRegex(UserError, "returned in all"):
            self.return_lines(order, 60000)

    def test_a_member_cannot_return_goods_without_their_order(self):
        self.sale(100000)
        with self.assertRaisesRegex(UserError, "from the order"):
            self.cashier_sync(
                self.pos_order_data(
                    self.member,
                    -100000,
                    payments=[(self.cash_method, -100000)],
                )
            )

    def test_another_customers_order_is_not_returned_under_this_one(self):
        self.adjust(self.member, "wallet", 100000)
        order = self.sale(100000, wallet=50000)
        other = self.env["res.partner"].create({"name": "Sara Karimi"})
        other._loyalty_enroll()
        with self.assertRaisesRegex(UserError, "was bought by"):
            self.cashier_sync(
                self.create_ui_order_data(
                    [
                        {
                            "product": self.product,
                            "quantity": -100000,
                            "refunded_orderline_id": order.lines.id,
                        },
                        (self.product, 100000),
                    ],
                    customer=other,
                    payments=[],
                )
            )

    def test_points_given_back_are_the_points_paid(self):
        self.company.loyalty_points_active = True
        self.adjust(self.member, "points", 30)
        order = self.cashier_sync(
            self.pos_order_data(
                self.member,
                30000,
                payments=[(self.points_method, 30000)],
            )
        )
        self.company.loyalty_point_value = 2000
        refund = self.cashier_sync(
            self.create_ui_order_data(
                [
                    {
                        "product": self.product,
                        "quantity": -30000,
                        "refunded_orderline_id": order.lines.id,
                    }
                ],
                customer=self.member,
                # the money the points paid, not today's worth of 30 points
                payments=[(self.points_method, -30000)],
            )
        )
        given = self.rows(refund).filtered(
            lambda r: r.kind == "points" and r.amount > 0
        )
        self.assertEqual(given.amount, 30)

    def test_a_return_inside_the_window_reopens_a_debt_it_had_settled(self):
        self.company.loyalty_pending_days = 14
        self.member._loyalty_spend("wallet", 10000, allow_debt=True)
        self.assertBalances(self.member, wallet=-10000)
        order = self.sale(100000)  # 10,000 pending cashback pays the debt
        self.assertBalances(self.member, wallet=0)
        refund = self.return_lines(order, 100000)
        self.assertBalances(self.member, wallet=-10000)
        self.assertFalse(any(self.rows(refund).mapped("shortfall")))


@tagged("post_install", "-at_install")
class TestRestoredCreditWaits(InvoiceReturnsCommon):
    def test_a_cancelled_credit_note_gives_back_pending_credit_still_pending(self):
        self.company.loyalty_pending_days = 14
        move = self.accountant_invoice(200000)
        note = self.credit_note(move, 100000)
        note.button_cancel()
        self.assertBalances(self.member, wallet=20000)
        self.member.invalidate_recordset()
        self.assertEqual(self.member.loyalty_wallet_pending, 20000)
