# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import LoyaltySmsCommon

PERSIAN_TEXT = (
    "علی احمدی عزیز،\n"
    "از خرید شما سپاسگزاریم.\n"
    "مبلغ $\N{NO-BREAK SPACE}50,000.00 به کیف پول شما افزوده شد.\n"
    "اعتبار شما: $\N{NO-BREAK SPACE}85,000.00\n"
    "منتظر حضورتان هستیم\n"
    "1400/04/05 09:50"
)
ENGLISH_TEXT = (
    "Dear John Smith,\n"
    "thank you for your purchase of $\N{NO-BREAK SPACE}500,000.00 at company_1_data.\n"
    "$\N{NO-BREAK SPACE}50,000.00 has been added to your wallet.\n"
    "Your balance: $\N{NO-BREAK SPACE}85,000.00\n"
    "06/26/2021 01:20"
)


@tagged("post_install", "-at_install")
class TestPurchaseSms(LoyaltySmsCommon):
    def sale_on(self, partner, amount, utc_date):
        data = self.pos_order_data(partner, amount)
        data["date_order"] = utc_date
        return self.sync_orders(data)

    def test_persian_member_gets_the_persian_text_with_jalali_date(self):
        self.adjust(self.member, "wallet", 35000)
        # 2021-06-26 09:50 in Tehran (UTC+04:30) = 1400/04/05 09:50
        order = self.sale_on(self.member, 500000, "2021-06-26 05:20:00")
        self.assertEqual(order.state, "paid")
        sms = self.queued_sms(self.member)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(sms.loyalty_rule_id, self.rule_earn)
        self.assertFalse(self.sink.requests, "nothing may be sent inside the sale")

        self.run_sms_queue()

        self.assertEqual(len(self.sink.requests), 1)
        request = self.sink.requests[0]
        self.assertEqual(request["path"], "/sms")
        self.assertEqual(request["headers"]["Authorization"], "Bearer secret-token")
        self.assertEqual(
            request["body"],
            {
                "to": "+989123456789",
                "text": PERSIAN_TEXT,
                "sender": "SHOP",
                "reference": sms.uuid,
            },
        )
        self.assertEqual(sms.state, "pending")
        self.assertBalances(self.member, wallet=85000)

    def test_english_member_gets_the_english_text_with_gregorian_date(self):
        john = self.env["res.partner"].create(
            {
                "name": "John Smith",
                "phone": "+1 202 555 0143",
                "lang": "en_US",
                "tz": "America/New_York",
            }
        )
        john._loyalty_enroll()
        self.adjust(john, "wallet", 35000)
        self.sale_on(john, 500000, "2021-06-26 05:20:00")
        self.run_sms_queue()
        self.assertEqual(len(self.sink.requests), 1)
        self.assertEqual(self.sink.requests[0]["body"]["to"], "+12025550143")
        self.assertEqual(self.sink.requests[0]["body"]["text"], ENGLISH_TEXT)

    def test_sms_goes_through_gateway_for_any_odoo_sms(self):
        """Not only loyalty events: an SMS of Odoo's composer uses the gateway."""
        # Any employee texting a number from Odoo's SMS composer.
        composer = (
            self.env["sms.composer"]
            .with_user(self.employee)
            .create(
                {
                    "composition_mode": "numbers",
                    "numbers": "+989121112233",
                    "body": "Hello from the composer",
                }
            )
        )
        composer.action_send_sms()
        self.assertEqual(len(self.sink.requests), 1)
        self.assertEqual(
            self.sink.requests[0]["body"]["text"], "Hello from the composer"
        )

    def test_no_rule_no_sms(self):
        self.rule_earn.active = False
        self.sale_on(self.member, 1000, "2021-06-26 05:20:00")
        self.assertFalse(self.queued_sms(self.member))

    def test_a_sale_that_spends_and_earns_sends_one_sms(self):
        self.env["loyalty.sms.rule"].create(
            {
                "event": "spend",
                "template_id": self.env.ref(
                    "loyalty_sms.sms_template_loyalty_spend"
                ).id,
                "company_id": self.company.id,
            }
        )
        self.member.lang = "en_US"
        self.adjust(self.member, "wallet", 30000)
        self.pos_sale(
            self.member,
            100000,
            payments=[(self.wallet_method, 30000), (self.cash_method, 70000)],
        )
        sms = self.queued_sms(self.member)
        self.assertEqual(len(sms), 1, "one message for the sale, not two")
        self.assertEqual(sms.loyalty_rule_id, self.rule_earn)
        # 10 % of the 70,000 paid in cash earned; 30,000 paid from the wallet.
        money = self.env["loyalty.sms.rule"].with_context(lang="en_US")
        paid = money._loyalty_format_money(30000, self.company)
        earned = money._loyalty_format_money(7000, self.company)
        self.assertIn(f"Paid from your club balance: {paid}\n", sms.body)
        self.assertIn(f"{earned} has been added", sms.body)
        self.assertIn(f"Your balance: {earned}\n", sms.body, "the balance after both")

    def test_a_sale_paid_in_cash_leaves_out_the_paid_line(self):
        self.pos_sale(self.member, 1000)
        self.assertNotIn("Paid from", self.queued_sms(self.member).body)

    def test_a_replayed_sale_announces_nothing(self):
        order = self.pos_sale(self.member, 1000)
        sms = self.queued_sms(self.member)
        self.assertEqual(len(sms), 1)
        # re-sync / re-post of the same order, at the cashier's till
        order.with_user(self.cashier)._loyalty_process_paid_order()
        self.assertEqual(self.queued_sms(self.member), sms, "no second SMS")
        self.assertBalances(self.member, wallet=100)

    def test_a_reposted_invoice_announces_nothing(self):
        move = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.member.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "quantity": 1000,
                                "price_unit": 1,
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        sms = self.queued_sms(self.member)
        self.assertEqual(len(sms), 1)
        move.button_draft()
        move.action_post()
        self.assertEqual(self.queued_sms(self.member), sms, "no second SMS")
