# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from freezegun import freeze_time

from odoo import Command, fields

from odoo.addons.loyalty_wallet.tests.common import LoyaltyPosCommon


class LoyaltyTierCommon(LoyaltyPosCommon):
    """The wallet's POS fixtures with the base cashback rate at zero (so what
    a customer earns comes from their tier or a campaign) and tier helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.loyalty_cashback_value = 0.0
        cls.Tier = cls.env["loyalty.tier"]
        cls.History = cls.env["loyalty.tier.history"]

    @classmethod
    def create_tier(cls, name, sequence, **values):
        return cls.Tier.create(
            {"name": name, "sequence": sequence, "company_id": cls.company.id, **values}
        )

    @classmethod
    def create_pricelist(cls, name, discount):
        return cls.env["product.pricelist"].create(
            {
                "name": name,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": discount,
                        }
                    )
                ],
            }
        )

    def tier_of(self, partner):
        partner = partner.with_company(self.company)
        partner.invalidate_recordset()
        return partner.loyalty_tier_id

    def history(self, partner):
        return self.History.search([("partner_id", "=", partner.id)], order="id")

    def review(self):
        self.Tier._cron_loyalty_tier_review()

    @contextmanager
    def on_day(self, offset):
        """Run the block as if it were ``offset`` days from today."""
        with freeze_time(fields.Datetime.add(fields.Datetime.now(), days=offset)):
            yield

    def backdate(self, order, days):
        """Move a paid POS order ``days`` back in time (an old purchase)."""
        order.flush_recordset()
        self.env.cr.execute(
            "UPDATE pos_order SET date_order = date_order - make_interval(days => %s)"
            " WHERE id = %s",
            (days, order.id),
        )
        order.invalidate_recordset(["date_order"])

    def invoice(self, partner, amount, move_type="out_invoice", reversed_entry=None):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "company_id": self.company.id,
                "reversed_entry_id": reversed_entry.id if reversed_entry else False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Basket",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move
