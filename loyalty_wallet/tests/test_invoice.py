# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields
from odoo.tests import tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestInvoiceEarning(LoyaltyPosCommon):
    """Invoices earn when the billing user (Invoicing, no Point of Sale or
    loyalty rights) posts them; resets, cancellations and credit notes are
    theirs too."""

    def invoice(self, amount, move_type="out_invoice", post=True):
        """A move of ``amount`` for the member, entered (and posted) by the
        billing user; returned in their environment."""
        move = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": self.member.id,
                    "invoice_date": fields.Date.today(),
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
        if post:
            move.action_post()
        return move

    def test_posted_invoice_earns(self):
        move = self.invoice(200000)
        self.assertEqual(self.earned(move), 20000)
        self.assertMovedBy(self.ledger_rows(move), self.billing)
        self.assertBalances(self.member, wallet=20000)

    def test_invoice_posted_reset_and_posted_again_earns_once(self):
        move = self.invoice(200000)
        move.button_draft()
        self.assertBalances(self.member, wallet=0)
        move.action_post()
        # earned twice, taken back once: one earning holds
        self.assertEqual(self.earned(move), 40000)
        self.assertBalances(self.member, wallet=20000)

    def test_credit_note_takes_back_its_share(self):
        move = self.invoice(200000)
        reversal = move._reverse_moves()
        reversal.invoice_line_ids = [Command.clear()]
        reversal.invoice_line_ids = [
            Command.create(
                {"name": "half", "price_unit": 100000, "quantity": 1, "tax_ids": []}
            )
        ]
        reversal.action_post()
        self.assertMovedBy(self.ledger_rows(reversal), self.billing)
        self.assertBalances(self.member, wallet=10000)

    def test_cancelled_invoice_earns_nothing(self):
        move = self.invoice(200000)
        move.button_draft()
        move.button_cancel()
        self.assertBalances(self.member, wallet=0)

    def test_invoice_cancelled_then_posted_again_earns_again_once(self):
        move = self.invoice(200000)
        move.button_draft()
        move.button_cancel()
        move.button_draft()
        move.action_post()
        self.assertBalances(self.member, wallet=20000)
        move.button_draft()
        move.action_post()
        self.assertBalances(self.member, wallet=20000)

    def test_vendor_bills_earn_nothing(self):
        bill = self.invoice(200000, move_type="in_invoice")
        self.assertEqual(self.earned(bill), 0)

    def test_invoice_of_a_pos_order_does_not_earn_twice(self):
        data = self.pos_order_data(self.member, 100000)
        data["to_invoice"] = True
        order = self.sync_orders(data)
        self.assertTrue(order.account_move)
        self.assertEqual(self.earned(order.account_move), 0)
        self.assertBalances(self.member, wallet=10000)
