# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from .common import (
    LedgerAssertions,
    committed_member,
    committed_user,
    drop_committed_members,
    drop_committed_users,
    run_together,
)
from .common_pos import committed_shop, drop_committed_shop, pos_payload, shop_ids


@tagged("post_install", "-at_install")
class TestPosConcurrentWalletPayments(LedgerAssertions, TransactionCase):
    """Two tills sync, at the same moment, an order of 60 paid from a wallet of
    100: whole ``sync_from_ui`` payloads, each in its own database transaction
    (real cursors and threads, committed data, retried like an RPC), as
    the shop's cashier (a POS user without loyalty rights).

    Each till is a Point of Sale of its own (config and session), as in a
    chain: core numbers a POS's orders with a gap-less sequence locked
    ``NOWAIT`` until commit, so two devices of *one* POS syncing at the same
    instant already collide in core, loyalty or not. What these tests prove is
    that the club's own lock (the member's balance row) never lets a
    concurrency error reach a cashier."""

    ROUNDS = 20
    TILLS = 8

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_id = cls.env.ref("base.main_company").id
        with cls.registry.cursor() as cr:
            env = cls.committed_env(cr)
            company = env.company
            cls.saved_settings = company.read(["loyalty_cashback_active"])[0]
            company.loyalty_cashback_active = True
            cls.tills = [
                shop_ids(committed_shop(env, f"lw_pos till {number}", f"LWC{number}"))
                for number in range(cls.TILLS)
            ]
        cls.cashier_id = committed_user(
            cls.registry,
            cls.company_id,
            "lw_pos_concurrency_cashier",
            "point_of_sale.group_pos_user",
        )
        cls.editor_id = committed_user(
            cls.registry,
            cls.company_id,
            "lw_pos_concurrency_editor",
            "base.group_partner_manager",
        )
        cls.partner_ids = []

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = cls.committed_env(cr)
            drop_committed_members(cr, cls.partner_ids)
            for till in cls.tills:
                drop_committed_shop(cr, till)
            drop_committed_users(cr, [cls.cashier_id, cls.editor_id])
            env.company.loyalty_cashback_active = cls.saved_settings[
                "loyalty_cashback_active"
            ]
        super().tearDownClass()

    @classmethod
    def committed_env(cls, cr, uid=SUPERUSER_ID):
        return api.Environment(cr, uid, {"allowed_company_ids": [cls.company_id]})

    def cashier_env(self, cr):
        """The environment of the cashier's RPC call."""
        return self.committed_env(cr, self.cashier_id)

    def committed_member(self, wallet):
        partner_id = committed_member(self.registry, self.company_id, "wallet", wallet)
        self.partner_ids.append(partner_id)
        return partner_id

    def wallet_paid_payload(self, env, till, partner_id, amount):
        session = env["pos.session"].browse(till["session"])
        wallet = env["pos.payment.method"].browse(till["wallet"])
        product = env["product.template"].browse(till["template"]).product_variant_id
        return pos_payload(
            session,
            product,
            amount,
            partner=env["res.partner"].browse(partner_id),
            payments=[(wallet, amount)],
        )

    def sync_in_own_transaction(self, tills, partner_id, outcomes, uuids, barrier):
        """One till (taken from ``tills``) syncs an order of 60 paid from the
        wallet of ``partner_id``; its outcome goes to ``outcomes``."""
        till = tills.pop()
        with self.registry.cursor() as cr:
            env = self.cashier_env(cr)
            payload = self.wallet_paid_payload(env, till, partner_id, 60)
            uuids.append(payload["uuid"])
            # All transactions take their snapshot before any spends.
            cr.execute("SELECT 1")
            barrier.wait(timeout=30)
            try:
                # Retried on serialization failures exactly like an RPC call:
                # anything else (a concurrency error that survives the retries)
                # reaches the cashier and fails the thread's outcome below.
                retrying(lambda: env["pos.order"].sync_from_ui([payload]), env)
                outcomes.append("paid")
            except UserError as error:
                cr.rollback()
                outcomes.append(
                    "refused" if "has only" in str(error) else f"error: {error}"
                )
            except Exception as error:  # noqa: BLE001 - reported as the outcome
                cr.rollback()
                outcomes.append(f"error: {error!r}")

    def committed_state(self, partner_id, uuids):
        with self.registry.cursor() as cr:
            env = self.committed_env(cr)
            orders = env["pos.order"].search([("uuid", "in", uuids)])
            rows = env["loyalty.transaction"].search([("partner_id", "=", partner_id)])
            balance = env["res.partner"].browse(partner_id).loyalty_wallet_balance
            # every spending was the cashier's
            spenders = rows.filtered(lambda r: r.operation == "spend").create_uid
            self.assertEqual(spenders.ids, [self.cashier_id])
            return orders.mapped("state"), len(rows), balance

    def test_two_tills_sync_orders_paying_60_from_100(self):
        for _round in range(self.ROUNDS):
            partner_id = self.committed_member(100)
            outcomes, uuids = [], []
            run_together(
                self.sync_in_own_transaction,
                (list(self.tills[:2]), partner_id, outcomes, uuids),
            )
            self.assertEqual(sorted(outcomes), ["paid", "refused"])
            states, row_count, balance = self.committed_state(partner_id, uuids)
            # The refused order left nothing behind: no order, no movement.
            self.assertEqual(states, ["paid"])
            # the opening adjustment and one spending (money paid from the
            # wallet earns no cashback)
            self.assertEqual(row_count, 2)
            self.assertEqual(balance, 40)

    def test_eight_tills_pay_from_one_shared_wallet(self):
        """250 in the wallet, eight tills sync an order of 60 at once: exactly
        four are paid, the four others are refused with the balance message,
        and no concurrency error reaches any cashier."""
        partner_id = self.committed_member(250)
        outcomes, uuids = [], []
        run_together(
            self.sync_in_own_transaction,
            (list(self.tills), partner_id, outcomes, uuids),
            copies=self.TILLS,
        )
        self.assertEqual(sorted(outcomes), ["paid"] * 4 + ["refused"] * 4)
        states, row_count, balance = self.committed_state(partner_id, uuids)
        self.assertEqual(states, ["paid"] * 4)
        self.assertEqual(row_count, 5)
        self.assertEqual(balance, 10)
        with self.registry.cursor() as cr:
            self.assertFalse(
                self.committed_env(cr)["loyalty.transaction"]._loyalty_check_balances()
            )

    def test_contact_edit_neither_delays_nor_fails_a_sale(self):
        """A salesperson edits the customer's phone while a till sells to them:
        the sale neither waits for the edit's row lock nor fails (or retries)
        when the edit commits after the sale's snapshot."""
        partner_id = self.committed_member(100)
        with self.registry.cursor() as sale_cr, self.registry.cursor() as edit_cr:
            sale_env, edit_env = (
                self.cashier_env(sale_cr),
                self.committed_env(edit_cr, self.editor_id),
            )
            sale_cr.execute("SELECT 1")  # the sale's snapshot predates the edit
            # Waiting for a lock fails the sale at once instead of blocking.
            sale_cr.execute("SET LOCAL lock_timeout = '2s'")
            edit_env["res.partner"].browse(partner_id).phone = "+98 912 000 0001"
            edit_env.flush_all()  # the contact's row is locked, not committed
            first = self.wallet_paid_payload(sale_env, self.tills[0], partner_id, 30)
            sale_env["pos.order"].sync_from_ui([first])  # no retry around it
            edit_cr.commit()  # pylint: disable=invalid-commit
            second = self.wallet_paid_payload(sale_env, self.tills[0], partner_id, 30)
            sale_env["pos.order"].sync_from_ui([second])
            sale_cr.commit()  # pylint: disable=invalid-commit
        states, row_count, balance = self.committed_state(
            partner_id, [first["uuid"], second["uuid"]]
        )
        self.assertEqual(states, ["paid", "paid"])
        self.assertEqual(balance, 40)
