# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The permission matrix of the ledger: each role of a shop does its job and
nothing else. Admin only builds the fixtures."""

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestRoles(LoyaltyPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_role_users()
        cls.stranger = cls.env["res.partner"].create({"name": "Walk-in"})

    def setUp(self):
        super().setUp()
        self.opening = self.adjust(self.member, "wallet", 100)

    def invoice(self, user, amount, move_type="out_invoice", reversed_entry=None):
        move = (
            self.env["account.move"]
            .with_user(user)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": self.member.id,
                    "invoice_date": fields.Date.today(),
                    "reversed_entry_id": reversed_entry.id if reversed_entry else False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Basket",
                                "price_unit": amount,
                                "quantity": 1,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    # ------------------------------------------------------------------
    # Only the ledger moves credit, whoever writes
    # ------------------------------------------------------------------

    def test_contact_editor_cannot_set_a_balance_or_membership(self):
        member = self.member.with_user(self.contact_editor)
        member.write({"phone": "+98 912 000 0000"})  # their job works
        for vals in (
            {"loyalty_wallet_balance": 1e6},
            {"loyalty_points": 1e6},
            {"loyalty_member": False},
            {"loyalty_enrolled_on": "2020-01-01"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                member.write(vals)
        stranger = self.stranger.with_user(self.contact_editor)
        with self.assertRaises(UserError):
            stranger.write({"loyalty_member": True})
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.contact_editor).create(
                {"name": "Self-made member", "loyalty_member": True}
            )
        forged = (
            self.env["res.partner"]
            .with_user(self.contact_editor)
            .with_context(
                default_loyalty_wallet_balance=1e6, default_loyalty_points=1e6
            )
            .create({"name": "Defaults"})
        )
        self.assertBalances(forged, wallet=0, points=0)
        self.assertBalances(self.member, wallet=100)

    def test_sudo_code_cannot_set_a_balance_either(self):
        with self.assertRaises(UserError):
            self.member.sudo().write({"loyalty_wallet_balance": 1e6})
        with self.assertRaises(UserError):
            self.stranger.sudo().write({"loyalty_member": True})
        # The name of the guard's context key is no pass: only the ledger's
        # token is (an RPC caller can send the key, not the object).
        with self.assertRaises(UserError):
            self.member.sudo().with_context(loyalty_ledger_token=True).write(
                {"loyalty_points": 50}
            )
        self.assertBalances(self.member, wallet=100, points=0)

    def test_nobody_forges_edits_or_deletes_ledger_rows(self):
        forged = {
            "partner_id": self.member.id,
            "kind": "wallet",
            "operation": "earn",
            "amount": 1000,
            "description": "forged",
        }
        Transaction = self.env["loyalty.transaction"]
        for user in (self.loyalty_manager, self.cashier, self.portal_customer):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                Transaction.with_user(user).create(forged)
        with self.assertRaises(UserError):
            Transaction.sudo().create(forged)
        with self.assertRaises(UserError):
            Transaction.sudo().with_context(loyalty_ledger_token=True).create(forged)
        with self.assertRaises(UserError):
            self.opening.sudo().write({"remaining": 1000})
        with self.assertRaises(UserError):
            self.opening.sudo().with_context(loyalty_ledger_token="write").write(
                {"remaining": 1}
            )
        with self.assertRaises(UserError):
            self.opening.sudo().unlink()
        self.assertBalances(self.member, wallet=100)

    # ------------------------------------------------------------------
    # Enrolment: the ledger's, a Loyalty User's action, never self-service
    # ------------------------------------------------------------------

    def test_loyalty_user_enrols_a_customer(self):
        self.company.loyalty_points_active = True
        self.company.loyalty_points_signup = 5
        self.stranger.with_user(self.loyalty_user).action_loyalty_enroll()
        self.assertTrue(self.stranger.loyalty_member)
        self.assertBalances(self.stranger, points=5)

    def test_contact_created_from_the_members_list_is_enrolled(self):
        self.company.loyalty_points_active = True
        self.company.loyalty_points_signup = 5
        self.loyalty_user.group_ids |= self.env.ref("base.group_partner_manager")
        Partner = self.env["res.partner"].with_context(default_loyalty_member=True)
        newcomer = Partner.with_user(self.loyalty_user).create({"name": "Newcomer"})
        self.assertTrue(newcomer.loyalty_member)
        self.assertBalances(newcomer, points=5)
        with self.assertRaises(AccessError):
            Partner.with_user(self.contact_editor).create({"name": "Self-made"})

    def test_portal_user_and_employees_cannot_enrol(self):
        self.company.loyalty_points_active = True
        self.company.loyalty_points_signup = 5
        portal_partner = self.env["res.partner"].create({"name": "Self-enroller"})
        portal_user = new_test_user(
            self.env,
            login="lw_self_enroller",
            groups="base.group_portal",
            partner_id=portal_partner.id,
        )
        for user, partner in (
            (portal_user, portal_partner),
            (self.employee, self.stranger),
            (self.contact_editor, self.stranger),
            (self.cashier, self.stranger),
            (self.billing, self.stranger),
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                partner.with_user(user).action_loyalty_enroll()
        self.assertFalse(portal_partner.loyalty_member)
        self.assertFalse(self.stranger.loyalty_member)

    # ------------------------------------------------------------------
    # Adjustments: Loyalty Managers only
    # ------------------------------------------------------------------

    def test_loyalty_manager_adjusts(self):
        self.member.with_user(self.loyalty_manager).loyalty_adjust(
            "wallet", 25, "goodwill"
        )
        self.assertBalances(self.member, wallet=125)

    def test_only_loyalty_managers_adjust(self):
        for user in (
            self.loyalty_user,
            self.cashier,
            self.billing,
            self.accountant,
            self.contact_editor,
            self.employee,
            self.portal_customer,
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.member.with_user(user).loyalty_adjust("wallet", 10, "gift")
        self.assertBalances(self.member, wallet=100)

    # ------------------------------------------------------------------
    # Reading the ledger
    # ------------------------------------------------------------------

    def test_loyalty_user_reads_the_ledger(self):
        rows = self.env["loyalty.transaction"].with_user(self.loyalty_user).search([])
        self.assertIn(self.opening, rows)

    def test_portal_customer_reads_only_their_own_log(self):
        other = self.env["res.partner"].create({"name": "Other member"})
        other._loyalty_enroll()
        theirs = self.adjust(other, "wallet", 50)
        Transaction = self.env["loyalty.transaction"].with_user(self.portal_customer)
        self.assertEqual(Transaction.search([]), self.opening)
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal_customer).read(["amount"])

    def test_cashier_sees_a_members_balances_not_the_ledger(self):
        balances = self.member.with_user(self.cashier).loyalty_pos_balances(
            self.config.id
        )
        self.assertEqual(balances["wallet"], 100)
        data = self.pos_order_data(self.member, 10)
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        Transaction = self.env["loyalty.transaction"].with_user(self.cashier)
        mine = Transaction.search([])
        self.assertEqual(mine.mapped("operation"), ["earn"])
        with self.assertRaises(AccessError):
            self.opening.with_user(self.cashier).read(["amount"])

    def test_cashier_who_is_a_loyalty_user_reads_the_ledger(self):
        self.cashier.group_ids |= self.env.ref("loyalty_wallet.group_loyalty_user")
        self.assertEqual(self.opening.with_user(self.cashier).amount, 100)

    def test_pos_balances_need_the_till(self):
        for user in (self.employee, self.contact_editor, self.portal_customer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.member.with_user(user).loyalty_pos_balances(self.config.id)

    def test_billing_and_contact_editor_do_not_read_the_ledger(self):
        for user in (self.billing, self.contact_editor, self.employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.opening.with_user(user).read(["amount"])

    # ------------------------------------------------------------------
    # Campaigns
    # ------------------------------------------------------------------

    def test_loyalty_manager_runs_campaigns(self):
        Campaign = self.env["loyalty.campaign"].with_user(self.loyalty_manager)
        campaign = Campaign.create(
            {
                "name": "Nowruz",
                "date_start": self.day(0),
                "date_end": self.day(3),
                "cashback_percent": 20,
            }
        )
        campaign.cashback_percent = 25
        campaign.unlink()

    def test_only_loyalty_managers_edit_campaigns(self):
        campaign = self.env["loyalty.campaign"].create(
            {"name": "Yalda", "date_start": self.day(0), "date_end": self.day(1)}
        )
        for user in (self.loyalty_user, self.cashier, self.billing):
            with self.subTest(user=user.login):
                campaign.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    campaign.with_user(user).write({"cashback_percent": 90})
                with self.assertRaises(AccessError):
                    campaign.with_user(user).unlink()

    # ------------------------------------------------------------------
    # The cashier sells, pays with the wallet, refunds
    # ------------------------------------------------------------------

    def test_cashier_sells_pays_with_wallet_and_refunds(self):
        PosOrder = self.env["pos.order"].with_user(self.cashier)
        data = self.pos_order_data(
            self.member,
            100,
            payments=[(self.wallet_method, 40), (self.cash_method, 60)],
        )
        PosOrder.sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.state, "paid")
        # 100 - 40 spent + 10 % of the 60 paid in cash
        self.assertBalances(self.member, wallet=66)
        line = order.lines
        refund = self.create_ui_order_data(
            [
                {
                    "product": line.product_id,
                    "quantity": -100,
                    "refunded_orderline_id": line.id,
                }
            ],
            customer=self.member,
            payments=[(self.wallet_method, -40), (self.cash_method, -60)],
        )
        PosOrder.sync_from_ui([refund])
        self.assertBalances(self.member, wallet=100)

    # ------------------------------------------------------------------
    # The accountant invoices (no Point of Sale rights)
    # ------------------------------------------------------------------

    def test_billing_user_posts_invoices_and_credit_notes(self):
        for user in (self.billing, self.accountant):
            with self.subTest(user=user.login):
                self.assertFalse(user.has_group("point_of_sale.group_pos_user"))
                before = self.member.with_company(self.company).loyalty_wallet_balance
                move = self.invoice(user, 1000)
                self.assertBalances(self.member, wallet=before + 100)
                self.invoice(user, 1000, "out_refund", reversed_entry=move)
                self.assertBalances(self.member, wallet=before)

    def test_billing_user_enrols_a_new_customer_by_invoicing(self):
        move = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.stranger.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "x",
                                "price_unit": 500,
                                "quantity": 1,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        self.assertTrue(self.stranger.loyalty_member)
        self.assertBalances(self.stranger, wallet=50)

    # ------------------------------------------------------------------
    # Settings: the Loyalty Manager configures the club, nothing else
    # ------------------------------------------------------------------

    def test_loyalty_manager_saves_the_loyalty_settings(self):
        Settings = self.env["res.config.settings"].with_user(self.loyalty_manager)
        self.assertFalse(self.loyalty_manager.has_group("base.group_system"))
        view = Settings.get_views([(False, "form")])["views"]["form"]
        self.assertIn('name="loyalty_wallet"', view["arch"])
        values = Settings.onchange({}, [], {"loyalty_cashback_value": {}})["value"]
        self.assertEqual(values["loyalty_cashback_value"], 10.0)
        settings = Settings.create(
            {"loyalty_cashback_value": 12.5, "loyalty_auto_enroll": False}
        )
        settings.execute()
        self.assertEqual(self.company.loyalty_cashback_value, 12.5)
        self.assertFalse(self.company.loyalty_auto_enroll)

    def test_loyalty_manager_changes_no_other_setting(self):
        Settings = self.env["res.config.settings"].with_user(self.loyalty_manager)
        name = self.company.name
        Settings.create({"company_name": "Hijacked"}).execute()
        self.assertEqual(self.company.name, name)
        with self.assertRaises(AccessError):
            self.company.with_user(self.loyalty_manager).write({"name": "Hijacked"})

    def test_other_roles_cannot_open_the_settings(self):
        for user in (self.loyalty_user, self.cashier, self.billing):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["res.config.settings"].with_user(user).create(
                    {"loyalty_cashback_value": 50}
                )
        self.assertEqual(self.company.loyalty_cashback_value, 10.0)

    # ------------------------------------------------------------------
    # Two companies
    # ------------------------------------------------------------------

    def test_user_of_two_companies_moves_each_companys_credit(self):
        company_b = self.env["res.company"].create(
            {"name": "Shop B", "loyalty_cashback_active": True}
        )
        manager = new_test_user(
            self.env,
            login="lw_two_companies",
            groups="loyalty_wallet.group_loyalty_manager",
            company_id=company_b.id,
            company_ids=[self.company.id, company_b.id],
        )
        member_b = self.member.with_user(manager).with_company(company_b)
        member_b.action_loyalty_enroll()  # membership is per company
        member_b.loyalty_adjust("wallet", 7, "B's own credit")
        self.assertBalances(self.member, wallet=7, company=company_b)
        self.assertBalances(self.member, wallet=100, company=self.company)
        only_b = self.env["loyalty.transaction"].with_user(manager)
        only_b = only_b.with_context(allowed_company_ids=[company_b.id])
        self.assertEqual(only_b.search([]).company_id, company_b)
        outsider = new_test_user(
            self.env,
            login="lw_only_b",
            groups="loyalty_wallet.group_loyalty_manager",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        with self.assertRaises(AccessError):
            self.opening.with_user(outsider).read(["amount"])

    # ------------------------------------------------------------------
    # Switching the club off is not confiscation
    # ------------------------------------------------------------------

    def test_switching_earning_off_keeps_held_credit_usable(self):
        self.adjust(self.member, "points", 3)
        self.company.write(
            {"loyalty_cashback_active": False, "loyalty_points_active": False}
        )
        data = self.pos_order_data(
            self.member, 50, payments=[(self.wallet_method, 30), (self.cash_method, 20)]
        )
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.state, "paid")
        self.assertEqual(self.earned(order), 0)  # earning stopped
        self.assertBalances(self.member, wallet=70)
        self.member.with_user(self.loyalty_manager).loyalty_adjust(
            "points", -1, "correction"
        )
        self.assertBalances(self.member, points=2)
        log = self.env["loyalty.transaction"].with_user(self.portal_customer)
        self.assertEqual(len(log.search([])), 4)
