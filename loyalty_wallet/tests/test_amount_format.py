# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.loyalty_wallet.tools import format_loyalty_amount

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestAmountFormat(TransactionCase):
    """One formatter for the club's amounts (SMS, receipts, portal): Iranian
    shops choose rial or toman, the others show their currency. Rendered in
    the session of a cashier, who prints them on receipts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cashier = new_test_user(
            cls.env,
            login="lw_format_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
        )
        cls.reader_env = cls.env(
            user=cashier, context=cashier.with_user(cashier).context_get()
        )

    def company(self, currency, unit="rial"):
        currency = self.env.ref(f"base.{currency}")
        currency.active = True
        return self.env["res.company"].create(
            {
                "name": f"Shop {currency.name} {unit}",
                "currency_id": currency.id,
                "loyalty_irr_display_unit": unit,
            }
        )

    def test_iranian_shop_in_toman_divides_by_ten(self):
        company = self.company("IRR", "toman")
        text = format_loyalty_amount(self.reader_env, 500000, company)
        self.assertEqual(text, f"50,000{NBSP}Toman")

    def test_iranian_shop_in_rial_shows_rials(self):
        company = self.company("IRR", "rial")
        self.assertEqual(
            format_loyalty_amount(self.reader_env, 500000, company),
            f"500,000{NBSP}Rial",
        )

    def test_other_currencies_keep_their_symbol_and_decimals(self):
        company = self.company("EUR", "toman")  # the unit only concerns IRR
        self.assertEqual(
            format_loyalty_amount(self.reader_env, 12.5, company), f"12.50{NBSP}€"
        )

    def test_whole_money_keeps_the_currency_decimals(self):
        """The portal printed "$ 35" beside "$ 47.01": money always shows its
        currency's decimals, whole or not."""
        company = self.company("USD")
        self.assertEqual(
            format_loyalty_amount(self.reader_env, 35, company), f"${NBSP}35.00"
        )
        self.assertEqual(
            format_loyalty_amount(self.reader_env, 47.01, company), f"${NBSP}47.01"
        )
        self.assertEqual(
            format_loyalty_amount(self.reader_env, 12, self.company("EUR")),
            f"12.00{NBSP}€",
        )

    def test_rials_and_tomans_drop_useless_decimals(self):
        self.assertEqual(
            format_loyalty_amount(
                self.reader_env, 500000.0, self.company("IRR", "rial")
            ),
            f"500,000{NBSP}Rial",
        )
        self.assertEqual(
            format_loyalty_amount(
                self.reader_env, 500005, self.company("IRR", "toman")
            ),
            f"50,000.50{NBSP}Toman",
        )
