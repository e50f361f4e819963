# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.loyalty_wallet.tests.common import (
    LedgerAssertions,
    committed_member,
    drop_committed_members,
    run_together,
)

from .common import COUPON_SETTINGS


@tagged("post_install", "-at_install")
class TestConcurrentConversions(LedgerAssertions, TransactionCase):
    """Two conversions of one customer at the same time, each in its own
    database transaction (real cursors, committed data, no mocks)."""

    ROUNDS = 5

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = cls.committed_env(cr)
            company = env.ref("base.main_company")
            cls.company_id = company.id
            cls.saved_settings = company.read(
                [*COUPON_SETTINGS, "loyalty_coupon_program_id"], load=None
            )[0]
            company.write(COUPON_SETTINGS)
            cls.program_id = company._loyalty_coupon_program().id
            # The two tills' cashier, committed: each till has its own cursor.
            cls.cashier_id = new_test_user(
                env,
                login="lc_concurrent_cashier",
                groups="base.group_user,point_of_sale.group_pos_user",
                company_id=company.id,
            ).id
        cls.partner_ids = []

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = cls.committed_env(cr)
            cards = env["loyalty.card"].search([("program_id", "=", cls.program_id)])
            env["mail.mail"].search(
                [("model", "=", "loyalty.card"), ("res_id", "in", cards.ids)]
            ).unlink()
            cards.unlink()
            drop_committed_members(cr, cls.partner_ids)
            env["res.users"].browse(cls.cashier_id).unlink()
            saved = {k: v for k, v in cls.saved_settings.items() if k != "id"}
            env["res.company"].browse(cls.company_id).write(saved)
            program = env["loyalty.program"].browse(cls.program_id)
            products = program.reward_ids.discount_line_product_id
            program.active = False
            program.unlink()
            products.active = False
        super().tearDownClass()

    @classmethod
    def committed_env(cls, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def env_of(self, cr, uid=SUPERUSER_ID):
        return api.Environment(cr, uid, {"allowed_company_ids": [self.company_id]})

    def committed_member(self, points):
        partner_id = committed_member(self.registry, self.company_id, "points", points)
        self.partner_ids.append(partner_id)
        return partner_id

    def convert_in_own_transaction(self, partner_id, points, outcomes, barrier):
        with self.registry.cursor() as cr:
            cashier = self.env_of(cr, self.cashier_id)
            partner = cashier["res.partner"].browse(partner_id)
            # Both transactions take their snapshot before either converts.
            cr.execute("SELECT 1")
            barrier.wait(timeout=30)
            try:
                partner.loyalty_convert_points(points)
                cr.commit()  # pylint: disable=invalid-commit
                outcomes.append("issued")
            except (UserError, psycopg2.errors.SerializationFailure):
                cr.rollback()
                outcomes.append("refused")

    def state_of(self, partner_id):
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            partner = env["res.partner"].browse(partner_id)
            cards = env["loyalty.card"].search([("partner_id", "=", partner_id)])
            return partner.loyalty_points, cards.mapped("points")

    def test_two_conversions_of_100_from_150(self):
        for _round in range(self.ROUNDS):
            partner_id = self.committed_member(150)
            outcomes = []
            run_together(self.convert_in_own_transaction, (partner_id, 100, outcomes))
            self.assertEqual(sorted(outcomes), ["issued", "refused"])
            self.assertEqual(self.state_of(partner_id), (50, [10.0]))
