# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LoyaltyCouponCommon


@tagged("post_install", "-at_install")
class TestConversion(LoyaltyCouponCommon):
    def test_convert_120_of_150_gives_a_coupon_worth_12(self):
        card = self.convert(120)

        self.assertEqual(card._name, "loyalty.card")
        self.assertEqual(card.points, 12.0)
        self.assertEqual(card.partner_id, self.customer)
        self.assertEqual(card.company_id, self.company)
        self.assertEqual(card.program_id, self.company.loyalty_coupon_program_id)
        self.assertEqual(card.program_id.program_type, "gift_card")
        self.assertEqual(card.expiration_date, fields.Date.today() + timedelta(days=30))
        self.assertEqual(card.loyalty_coupon_state, "valid")
        self.assertBalances(self.customer, points=30)
        row = self.convert_rows_of(self.customer)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.kind, "points")
        self.assertEqual(row.amount, -120)
        self.assertEqual((row.source_model, row.source_id), ("loyalty.card", card.id))
        self.assertEqual(card.loyalty_conversion_id, row)
        self.assertIn(card.code, row.description)
        self.assertIn(card.code, row.source_name)
        self.assertEqual(card.history_ids.issued, 12.0)
        self.assertEqual(
            (card.history_ids.order_model, card.history_ids.order_id),
            ("loyalty.transaction", row.id),
        )

    def test_codes_are_unique(self):
        self.customer.loyalty_adjust("points", 150, "more points")
        first = self.convert(100)
        second = self.convert(100)
        self.assertNotEqual(first.code, second.code)
        self.assertEqual(first.program_id, second.program_id)
        self.assertBalances(self.customer, points=100)

    def test_below_the_minimum_is_refused(self):
        with self.assertRaisesRegex(UserError, "At least 100"):
            self.convert(90)
        self.assertBalances(self.customer, points=150)
        self.assertFalse(self.coupons_of(self.customer))
        self.assertFalse(self.convert_rows_of(self.customer))

    def test_more_than_the_balance_is_refused_and_no_coupon_is_left(self):
        cards_before = self.env["loyalty.card"].search_count([])
        with self.assertRaisesRegex(UserError, "only 150"):
            self.convert(200)
        # The card was created before the ledger refused: the savepoint of the
        # conversion took it away even though the error was caught here.
        self.assertEqual(self.env["loyalty.card"].search_count([]), cards_before)
        self.assertBalances(self.customer, points=150)
        self.assertFalse(self.convert_rows_of(self.customer))

    def test_zero_and_negative_points_are_refused(self):
        for points in (0, -120):
            with self.assertRaisesRegex(UserError, "must be positive"):
                self.convert(points)
        self.assertBalances(self.customer, points=150)
        self.assertFalse(self.coupons_of(self.customer))

    def test_non_member_is_refused(self):
        stranger = self.env["res.partner"].create({"name": "Not in the club"})
        with self.assertRaisesRegex(UserError, "not a member"):
            self.convert(120, stranger)
        self.assertFalse(self.coupons_of(stranger))

    def test_only_fixed_denominations_when_configured(self):
        self.company.loyalty_coupon_denominations = "10, 20,50"
        with self.assertRaisesRegex(UserError, "fixed values"):
            self.convert(120)
        self.assertBalances(self.customer, points=150)
        card = self.convert(100)
        self.assertEqual(card.points, 10.0)
        self.assertBalances(self.customer, points=50)

    def test_malformed_denominations_are_rejected(self):
        for text in ("10, twenty", "10,-5", "0"):
            with self.assertRaises(ValidationError):
                self.save_settings(loyalty_coupon_denominations=text)
        with self.assertRaises(ValidationError):
            self.save_settings(loyalty_coupon_points_per_unit=0)

    def test_a_customer_converts_only_their_own_points(self):
        portal_user = self.env["res.users"].create(
            {
                "name": "Sara (portal)",
                "login": "lc_sara_portal",
                "partner_id": self.customer.id,
                "group_ids": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        other = self.env["res.partner"].create({"name": "Other member"})
        other._loyalty_enroll()
        other.loyalty_adjust("points", 150, "opening points")
        with self.assertRaises(AccessError):
            other.with_user(portal_user).loyalty_convert_points(120)
        self.assertBalances(other, points=150)

        card = self.customer.with_user(portal_user).loyalty_convert_points(120)
        self.assertEqual(card.sudo().points, 12.0)
        self.assertBalances(self.customer, points=30)

    def test_a_cashier_converts_for_any_customer(self):
        card = self.customer.with_user(self.cashier).loyalty_convert_points(120)
        self.assertEqual(card.points, 12.0)
        self.assertBalances(self.customer, points=30)

    def test_issuing_emits_coupon_issued_and_mails_the_code(self):
        Partner = self.env.registry["res.partner"]
        with patch.object(
            Partner,
            "_loyalty_notify",
            autospec=True,
            side_effect=Partner._loyalty_notify,
        ) as notify:
            card = self.convert(120)
        events = [c.args[1] for c in notify.call_args_list]
        self.assertEqual(events, ["coupon_issued"])
        self.assertEqual(notify.call_args.kwargs["card"], card)
        self.assertEqual(notify.call_args.kwargs["partner"], self.customer)
        mail = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", card.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(card.code, mail.body_html)

    def test_the_pos_accepts_the_coupon_as_a_paid_gift_card(self):
        card = self.convert(120)
        result = self.config.with_user(self.cashier).use_coupon_code(
            card.code,
            fields.Datetime.to_string(fields.Datetime.now()),
            False,
            self.config.pricelist_id.id,
        )
        self.assertTrue(result["successful"], result)
        self.assertEqual(result["payload"]["coupon_id"], card.id)
        self.assertEqual(result["payload"]["points"], 12.0)
        # No "unpaid gift card" question at the till.
        self.assertTrue(result["payload"]["has_source_order"])

    def test_coupon_state_follows_value_and_expiry(self):
        self.customer.loyalty_adjust("points", 250, "more points")
        valid, used, expired = (self.convert(points) for points in (100, 100, 200))
        used.points = 0
        expired.expiration_date = fields.Date.today() - timedelta(days=1)
        self.assertEqual(
            (valid + used + expired).mapped("loyalty_coupon_state"),
            ["valid", "used", "expired"],
        )
        Card = self.env["loyalty.card"].with_user(self.loyalty_user)
        for state, card in (("valid", valid), ("used", used), ("expired", expired)):
            found = Card.search(
                [
                    ("loyalty_coupon_state", "=", state),
                    ("partner_id", "=", self.customer.id),
                ]
            )
            self.assertEqual(found, card, state)

    def test_partner_smart_button_lists_the_coupons(self):
        card = self.convert(120)
        customer = self.customer.with_user(self.loyalty_user)
        self.assertEqual(customer.loyalty_coupon_count, 1)
        action = customer.action_open_loyalty_coupons()
        self.assertEqual(customer.env["loyalty.card"].search(action["domain"]), card)

    def test_wizard_previews_and_converts(self):
        customer = self.customer.with_user(self.loyalty_user)
        action = customer.action_loyalty_coupon_convert()
        wizard_form = Form(
            customer.env["loyalty.coupon.convert.wizard"].with_context(
                **action["context"]
            )
        )
        self.assertEqual(wizard_form.points_balance, 150)
        self.assertEqual(wizard_form.min_points, 100)
        wizard_form.points = 120
        self.assertEqual(wizard_form.value, 12.0)
        result = wizard_form.save().action_convert()
        card = self.env["loyalty.card"].browse(result["res_id"])
        self.assertEqual(card.points, 12.0)
        self.assertBalances(self.customer, points=30)

    def test_saving_the_settings_creates_the_coupon_program(self):
        self.assertFalse(self.company.loyalty_coupon_program_id)
        self.save_settings()
        program = self.company.loyalty_coupon_program_id
        self.assertEqual(program.program_type, "gift_card")
        self.assertEqual(program.company_id, self.company)
        # Nothing sold can issue a coupon of this program: its only rule
        # targets a product the POS never sells.
        self.assertFalse(program.rule_ids.any_product)
        self.assertFalse(program.rule_ids.valid_product_ids)
        # The POS accepts gift card programs only when they can print and mail.
        self.assertTrue(program.mail_template_id)
        self.assertTrue(program.pos_report_print_id)
