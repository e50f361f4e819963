# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user

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
        if not getattr(cls, "loyalty_manager", None):
            cls.create_role_users()
        cls.tier_manager = new_test_user(
            cls.env,
            login="tier_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
            company_id=cls.company.id,
        )

    @classmethod
    def create_webplanex_tiers(cls):
        """The Webplanex tiers: Bronze for an order of 100 (2 %), Silver for
        200 (5 %), Gold for 1,000 (10 %); each kept by an order of at least
        100 every 30 days."""
        retention = {"retention_days": 30, "retention_min_amount": 100.0}
        cls.bronze = cls.create_tier(
            "Bronze", 10, min_order_amount=100.0, cashback_percent=2.0, **retention
        )
        cls.silver = cls.create_tier(
            "Silver", 20, min_order_amount=200.0, cashback_percent=5.0, **retention
        )
        cls.gold = cls.create_tier(
            "Gold", 30, min_order_amount=1000.0, cashback_percent=10.0, **retention
        )

    def sync_orders(self, *orders_data):
        """The orders as the cashier's till syncs them: every sale and refund
        of these tests is the cashier's."""
        for data in orders_data:
            data["user_id"] = self.cashier.id
        self.env["pos.order"].with_user(self.cashier).sync_from_ui(list(orders_data))
        uuids = [data["uuid"] for data in orders_data]
        return self.env["pos.order"].search([("uuid", "in", uuids)])

    def cashier_sale(self, partner, amount):
        """``amount`` sold to ``partner`` by the cashier, paid in cash."""
        return self.pos_sale(partner, amount)

    def cashier_refund(self, order, amount):
        """``amount`` units of the single line of ``order`` returned at the
        till by the cashier."""
        return self.pos_refund(order, amount)

    def tier_events(self, name="tier_change"):
        """Spy on the ``name`` events: the list fills as they come."""
        events = []
        Partner = self.env.registry["res.partner"]
        original = Partner._loyalty_notify

        def spy(records, event, transactions, **values):
            if event == name:
                events.append(values)
            return original(records, event, transactions, **values)

        self.patch(Partner, "_loyalty_notify", spy)
        return events

    @classmethod
    def create_tier(cls, name, sequence, **values):
        """A tier as the Loyalty Manager defines it."""
        return cls.Tier.with_user(cls.tier_manager).create(
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
        """The nightly tier review, run as the scheduler runs it."""
        self.run_cron("loyalty_tier.ir_cron_loyalty_tier_review")

    def run_cron(self, xmlid):
        """What Odoo's scheduler does with the scheduled action ``xmlid``
        (``ir.cron._callback``): run its server action as the cron's own user
        (OdooBot, the superuser: a nightly job works for every member of
        every company), here in the test's transaction instead of its own."""
        cron = self.env.ref(xmlid)
        cron.ir_actions_server_id.with_user(cron.user_id).run()

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
        """An invoice (or credit note) the billing user makes and posts."""
        move = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
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
        )
        move.action_post()
        return move.with_env(self.env)
