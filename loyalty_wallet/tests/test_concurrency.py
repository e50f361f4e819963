# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import (
    LedgerAssertions,
    committed_member,
    committed_user,
    drop_committed_members,
    drop_committed_users,
    run_together,
)


@tagged("post_install", "-at_install")
class TestConcurrentSpending(LedgerAssertions, TransactionCase):
    """Two tills spend from one wallet at the same time, each in its own
    database transaction (real cursors, committed data, no mocks), each as
    the cashier whose sale spends."""

    ROUNDS = 20

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            cls.company_id = company.id
            cls.saved_settings = company.read(["loyalty_cashback_active"])[0]
            company.loyalty_cashback_active = True
        cls.cashier_id = committed_user(
            cls.registry,
            cls.company_id,
            "lw_concurrency_cashier",
            "point_of_sale.group_pos_user",
        )
        cls.partner_ids = []

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            drop_committed_members(cr, cls.partner_ids)
            drop_committed_users(cr, [cls.cashier_id])
            env["res.company"].browse(
                cls.company_id
            ).loyalty_cashback_active = cls.saved_settings["loyalty_cashback_active"]
        super().tearDownClass()

    def committed_member(self, wallet):
        partner_id = committed_member(self.registry, self.company_id, "wallet", wallet)
        self.partner_ids.append(partner_id)
        return partner_id

    def spend_in_own_transaction(self, partner_id, amount, outcomes, barrier):
        with self.registry.cursor() as cr:
            # the cashier's request (a wallet payment spends in it)
            env = api.Environment(
                cr, self.cashier_id, {"allowed_company_ids": [self.company_id]}
            )
            partner = env["res.partner"].browse(partner_id)
            # Both transactions take their snapshot before either spends.
            cr.execute("SELECT 1")
            barrier.wait(timeout=30)
            try:
                partner._loyalty_spend("wallet", amount)
                # A real, separate till: its transaction must really commit.
                cr.commit()  # pylint: disable=invalid-commit
                outcomes.append("paid")
            except (UserError, psycopg2.errors.SerializationFailure):
                cr.rollback()
                outcomes.append("refused")

    def wallet_of(self, partner_id):
        with self.registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"allowed_company_ids": [self.company_id]}
            )
            return env["res.partner"].browse(partner_id).loyalty_wallet_balance

    def spenders(self, partner_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            rows = env["loyalty.transaction"].search(
                [("partner_id", "=", partner_id), ("operation", "=", "spend")]
            )
            return rows.create_uid.ids

    def test_two_tills_spend_60_from_100(self):
        for _round in range(self.ROUNDS):
            partner_id = self.committed_member(100)
            outcomes = []
            run_together(self.spend_in_own_transaction, (partner_id, 60, outcomes))
            self.assertEqual(sorted(outcomes), ["paid", "refused"])
            self.assertEqual(self.wallet_of(partner_id), 40)
            self.assertEqual(self.spenders(partner_id), [self.cashier_id])
