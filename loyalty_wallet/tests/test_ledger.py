# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

import psycopg2

from odoo import api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.loyalty_transaction import LOTS_PER_STATEMENT
from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestLedger(LoyaltyPosCommon):
    """The ledger API as the people whose work calls it: the cashier's sale
    spends (``_loyalty_spend`` runs in the cashier's request), the Loyalty
    Manager adjusts and configures."""

    def spend(self, partner, kind, amount):
        """What the cashier's wallet or points payment does to the ledger."""
        return partner.with_user(self.cashier)._loyalty_spend(kind, amount)

    def test_spending_consumes_first_expiring_lot_first(self):
        late = self.lot(self.member, "points", 50, self.day(20))
        early = self.lot(self.member, "points", 100, self.day(10))
        spend = self.spend(self.member, "points", 120)
        self.assertMovedBy(spend, self.cashier)
        self.assertEqual(early.remaining, 0)
        self.assertEqual(late.remaining, 30)
        self.assertEqual(spend.amount, -120)
        self.assertEqual(spend.expiration_date, self.day(20))
        self.assertBalances(self.member, points=30)

    def test_lots_without_expiry_are_spent_last(self):
        forever = self.adjust(self.member, "wallet", 100)
        dated = self.lot(self.member, "wallet", 100, self.day(300))
        self.spend(self.member, "wallet", 150)
        self.assertEqual(dated.remaining, 0)
        self.assertEqual(forever.remaining, 50)

    def test_new_reversal_is_seen_by_its_origin_in_the_same_transaction(self):
        """Two returns synced in one call must see each other: the origin's
        cached reversals gain the new row (else the second return would give
        back what the first already did)."""
        lot = self.lot(self.member, "wallet", 50, self.day(30))
        self.assertFalse(lot.derived_ids)  # cached empty
        reversal = self.env["loyalty.transaction"]._loyalty_post(
            self.member, "wallet", "reverse", -20, origin=lot
        )
        self.assertEqual(lot.derived_ids, reversal)
        self.assertEqual(lot._loyalty_reversals(), reversal)

    def test_movements_posted_together_take_the_lots_in_turn(self):
        """Two movements posted together (a spending, then a correction) take
        the lots read under the lock one after the other: the second takes
        what the first left."""
        early = self.lot(self.member, "wallet", 30, self.day(10))
        late = self.lot(self.member, "wallet", 50, self.day(20))
        rows = self.env["loyalty.transaction"]._loyalty_post_many(
            [
                dict(partner=self.member, kind="wallet", operation="spend", amount=-20),
                dict(
                    partner=self.member, kind="wallet", operation="adjust", amount=-25
                ),
            ]
        )
        self.assertEqual((early.remaining, late.remaining), (0, 35))
        self.assertEqual(
            [row.expiration_date for row, _new in rows], [self.day(10), self.day(20)]
        )
        self.assertBalances(self.member, wallet=35)

    def test_reversal_posted_after_a_spending_sees_what_it_took(self):
        """A reversal takes back from its own lot what a spending posted with
        it left there, not what the lot held before."""
        lot = self.lot(self.member, "wallet", 50, self.day(10))
        Ledger = self.env["loyalty.transaction"]
        Ledger._loyalty_post_many(
            [
                dict(partner=self.member, kind="wallet", operation="spend", amount=-30),
                dict(
                    partner=self.member,
                    kind="wallet",
                    operation="reverse",
                    amount=-20,
                    origin=lot,
                ),
            ]
        )
        self.assertEqual(lot.remaining, 0)
        self.assertFalse(Ledger._loyalty_check_balances())

    def test_posting_refused_inside_a_document_leaves_its_figures_true(self):
        """A posting refused half-way (the points are short) inside a
        document whose code goes on: what it had counted and taken is
        forgotten, the next posting starts from the stored figures."""
        self.lot(self.member, "wallet", 50, self.day(10))
        Ledger = self.env["loyalty.transaction"]
        spend = dict(partner=self.member, kind="wallet", operation="spend")
        with Ledger._loyalty_document_scope(None):
            # Refused before anything was written, caught without a savepoint
            # (assertRaises would roll one back, clearing every cache).
            refused = False
            try:
                Ledger._loyalty_post_many(
                    [dict(spend, amount=-30), dict(spend, kind="points", amount=-100)]
                )
            except UserError:
                refused = True
            self.assertTrue(refused, "the customer has no points")
            [(row, _new)] = Ledger._loyalty_post_many([dict(spend, amount=-30)])
        self.assertEqual(row.balance_after, 20)
        self.assertBalances(self.member, wallet=20)

    def test_posting_rolled_back_inside_a_document_is_posted_again(self):
        """A document's earning inserted by a posting that a savepoint then
        rolls back (the points are short) is posted again by the next
        posting of that document, not taken for a replay: the document's
        scope lives in the cursor's cache, which the rollback clears."""
        source = self.env["res.partner"].create({"name": "A document"})
        Ledger = self.env["loyalty.transaction"]
        earning = dict(
            partner=self.member,
            kind="wallet",
            operation="earn",
            amount=10,
            source=source,
            purpose="earn:wallet",
        )
        with Ledger._loyalty_document_scope(source):
            with self.assertRaises(UserError):  # in a savepoint
                Ledger._loyalty_post_many(
                    [
                        earning,
                        dict(earning, kind="points", amount=-100, purpose="spend"),
                    ]
                )
            [(row, new)] = Ledger._loyalty_post_many([earning])
        self.assertTrue(new)
        self.assertTrue(row.exists())
        self.assertBalances(self.member, wallet=10)

    def test_late_spending_leaves_no_residue_in_lots(self):
        """A late order's part taken from lots is rounded like the lots: no
        lot keeps a float's residue beside the debt."""
        lot = self.lot(self.member, "wallet", 3.2, self.day(30))
        spend = self.env["loyalty.transaction"]._loyalty_post(
            self.member, "wallet", "spend", -5.3, allow_debt=True
        )
        self.assertEqual(spend._loyalty_debt_left(), 2.1)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT remaining FROM loyalty_transaction WHERE id = %s", [lot.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertFalse(self.env["loyalty.transaction"]._loyalty_check_balances())

    def test_spending_across_many_lots_takes_them_in_expiry_order(self):
        """A spending reads and consumes its lots a bounded number at a time
        (``LOTS_PER_STATEMENT``): one spanning three such batches takes every
        lot in expiry order and leaves the rest of the last one."""
        # Created latest-expiring first, so that id order is not expiry order.
        lots = [
            self.lot(self.member, "wallet", 1.5, self.day(100 - offset))
            for offset in range(50)
        ]
        by_expiry = lots[::-1]
        spend = self.spend(self.member, "wallet", 64.25)
        # 42 lots of 1.5 are 63: the 43rd gives 1.25 of its 1.5.
        self.assertEqual([lot.remaining for lot in by_expiry[:42]], [0.0] * 42)
        self.assertEqual(by_expiry[42].remaining, 0.25)
        self.assertEqual([lot.remaining for lot in by_expiry[43:]], [1.5] * 7)
        self.assertEqual(spend.expiration_date, by_expiry[42].expiration_date)
        self.assertBalances(self.member, wallet=75 - 64.25)
        self.assertFalse(self.env["loyalty.transaction"]._loyalty_check_balances())

    def test_spending_costs_the_same_behind_many_open_lots(self):
        """The lock reads a member's first open lots only; a member holding
        more (points pile up sale after sale) spends with as few statements
        as one holding three."""
        Ledger = self.env["loyalty.transaction"].with_user(self.cashier)
        ways = {
            # a sale's payment, posted with what the sale earns
            "sale": lambda partner: Ledger._loyalty_post_many(
                [partner._loyalty_spending("points", 5)]
            ),
            # one spending on its own (a coupon conversion, an invoice)
            "single": lambda partner: partner._loyalty_spend("points", 5),
        }

        def statements_to_spend(post, partner, lots):
            for offset in range(lots):
                self.lot(partner, "points", 10, self.day(10 + offset))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            post(partner.with_user(self.cashier))
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        for way, post in ways.items():
            with self.subTest(way):
                regular, occasional, first = self.env["res.partner"].create(
                    [
                        {"name": f"Regular ({way})"},
                        {"name": f"Occasional ({way})"},
                        {"name": f"First ({way})"},
                    ]
                )
                for partner in (regular, occasional, first):
                    partner._loyalty_enroll()
                statements_to_spend(post, first, 3)  # what is read once is read
                few = statements_to_spend(post, occasional, 3)
                many = statements_to_spend(post, regular, LOTS_PER_STATEMENT + 5)
                self.assertEqual(many, few)
                self.assertBalances(regular, points=10 * (LOTS_PER_STATEMENT + 5) - 5)
        self.assertFalse(self.env["loyalty.transaction"]._loyalty_check_balances())

    def test_a_contact_read_before_a_spending_shows_its_figures_after(self):
        """What the till reads of the customer after a sale, in the request
        that sold, is what the ledger now says: available credit and what
        expires soon, not the figures read before the sale."""
        self.lot(self.member, "wallet", 100, self.day(3))
        member = self.member.with_user(self.cashier)
        self.assertEqual(
            (member.loyalty_wallet_available, member.loyalty_wallet_expiring_soon),
            (100, 100),
        )
        self.env["loyalty.transaction"].with_user(self.cashier)._loyalty_post_many(
            [member._loyalty_spending("wallet", 30)]
        )
        self.assertEqual(
            (
                member.loyalty_wallet_balance,
                member.loyalty_wallet_available,
                member.loyalty_wallet_expiring_soon,
            ),
            (70, 70, 70),
        )

    def test_spending_more_than_the_balance_is_refused(self):
        self.adjust(self.member, "wallet", 100)
        with self.assertRaisesRegex(UserError, "has only"):
            self.spend(self.member, "wallet", 100.01)
        self.assertBalances(self.member, wallet=100)

    def test_manual_adjustment_checks(self):
        member = self.member.with_user(self.loyalty_manager)
        with self.assertRaisesRegex(UserError, "reason"):
            member.loyalty_adjust("wallet", 10, "  ")
        with self.assertRaisesRegex(UserError, "cannot be zero"):
            member.loyalty_adjust("wallet", 0, "nothing")
        with self.assertRaisesRegex(UserError, "has only"):
            member.loyalty_adjust("wallet", -10, "take more than there is")
        member.loyalty_adjust("wallet", 10, "gift")
        row = member.loyalty_adjust("wallet", -4, "correction")
        self.assertEqual((row.operation, row.amount), ("adjust", -4))
        self.assertMovedBy(row, self.loyalty_manager)
        self.assertBalances(self.member, wallet=6)

    def test_non_members_neither_earn_nor_spend(self):
        stranger = self.env["res.partner"].create({"name": "Not a member"})
        with self.assertRaisesRegex(UserError, "not a member"):
            stranger.with_user(self.loyalty_manager).loyalty_adjust(
                "wallet", 10, "gift"
            )
        with self.assertRaisesRegex(UserError, "not a member"):
            self.spend(stranger, "wallet", 1)

    def test_club_switched_off_still_adjusts_and_spends_held_credit(self):
        self.adjust(self.member, "points", 10)
        self.configure(loyalty_cashback_active=False, loyalty_points_active=False)
        self.adjust(self.member, "points", 5)
        self.spend(self.member, "points", 15)
        self.assertBalances(self.member, points=0)

    def test_settings_are_validated(self):
        """The Loyalty Manager's settings form and campaigns refuse
        nonsense."""
        with self.assertRaises(ValidationError):
            self.configure(loyalty_points_active=True, loyalty_points_step_amount=0)
        with self.assertRaises(ValidationError):
            self.configure(loyalty_cashback_value=101)
        with self.assertRaises(ValidationError):
            self.configure(loyalty_cashback_value=-1)
        with self.assertRaises(ValidationError):
            self.campaign(
                name="Backwards", date_start=self.day(5), date_end=self.day(1)
            )
        with self.assertRaises(ValidationError):
            self.campaign(
                name="Too generous",
                date_start=self.day(0),
                date_end=self.day(1),
                cashback_percent=120,
            )

    def test_posted_rows_are_immutable(self):
        row = self.adjust(self.member, "wallet", 10)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            row.sudo().amount = 1000
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            row.sudo().remaining = 0
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            row.sudo().unlink()

    def test_idempotency_key_is_unique_in_the_database(self):
        order = self.pos_sale(self.member, 1000)
        earned = self.env["loyalty.transaction"].search(
            [("source_model", "=", "pos.order"), ("source_id", "=", order.id)]
        )
        self.assertTrue(earned.idempotency_key)
        # Posting again through the API (in the cashier's request, as a
        # replayed sync would) returns the existing row...
        again = self.member.with_user(self.cashier)._loyalty_earn(
            "wallet", 100, source=order, purpose="earn:wallet"
        )
        self.assertEqual(again, earned)
        # ...and the database refuses a duplicate even if code bypassed the API.
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    """INSERT INTO loyalty_transaction (partner_id, company_id,
                       kind, operation, amount, remaining, shortfall, date,
                       description, idempotency_key)
                       SELECT partner_id, company_id, kind, operation, amount,
                              remaining, shortfall, date, description,
                              idempotency_key
                         FROM loyalty_transaction WHERE id = %s""",
                    [earned.id],
                )
        self.assertBalances(self.member, wallet=100)

    def test_balance_check_detects_a_tampered_balance(self):
        self.adjust(self.member, "wallet", 10)
        Transaction = self.env["loyalty.transaction"]
        self.assertFalse(Transaction._loyalty_check_balances())
        self.member._loyalty_set_balance("wallet", self.company, 11)
        self.assertEqual(len(Transaction._loyalty_check_balances()), 1)
        self.member._loyalty_set_balance("wallet", self.company, 10)

    def test_ledger_extended_by_another_addon_is_written_through_the_orm(self):
        """An addon that overrides ``create`` (or adds fields or constraints)
        on the ledger's rows has it applied: the ledger then writes its rows
        through the ORM, with the very figures of its own INSERT."""
        Ledger = type(self.env["loyalty.transaction"])
        self.assertFalse(self.env["loyalty.transaction"]._loyalty_extended_elsewhere())
        ours, theirs = self.member, self.env["res.partner"].create({"name": "Twin"})
        theirs._loyalty_enroll()
        payments = [(self.wallet_method, 30), (self.cash_method, 170)]
        for partner in ours + theirs:
            self.adjust(partner, "wallet", 100)
        self.pos_sale(ours, 200, payments)

        original, calls = Ledger.create, []

        @api.model_create_multi
        def create(records, vals_list):  # what another addon's override does
            calls.append(len(vals_list))
            return original(records, vals_list)

        with patch.object(Ledger, "create", create):
            self.env.registry.clear_cache()
            self.assertTrue(
                self.env["loyalty.transaction"]._loyalty_extended_elsewhere()
            )
            self.pos_sale(theirs, 200, payments)
        self.env.registry.clear_cache()
        self.assertTrue(calls)

        def figures(partner):
            rows = self.env["loyalty.transaction"].search(
                [("partner_id", "=", partner.id)], order="id"
            )
            return [
                (row.kind, row.operation, row.amount, row.remaining)
                + (row.balance_after, row.expiration_date, row.currency_id)
                + (row.wallet_amount, row.points_amount, row.create_uid)
                for row in rows
            ]

        self.assertEqual(figures(theirs), figures(ours))
        self.assertEqual(
            (theirs.loyalty_wallet_balance, theirs.loyalty_points),
            (ours.loyalty_wallet_balance, ours.loyalty_points),
        )


@tagged("post_install", "-at_install")
class TestLedgerWithCustomFields(LoyaltyPosCommon):
    """A field the shop adds to the ledger in the user interface, computed
    from what is left of a lot (its own class: the registry changes)."""

    def test_a_custom_field_computed_from_the_lots_follows_spending(self):
        self.addCleanup(self.registry.reset_changes)
        self.env["ir.model.fields"].create(
            {
                "model_id": self.env["ir.model"]._get_id("loyalty.transaction"),
                "name": "x_left_in_cents",
                "field_description": "Left (cents)",
                "ttype": "float",
                "store": True,
                "depends": "remaining",
                "compute": "for lot in self:\n"
                "    lot['x_left_in_cents'] = lot.remaining * 100",
            }
        )
        Ledger = self.env["loyalty.transaction"]
        self.assertTrue(Ledger._loyalty_extended_elsewhere())
        first = self.lot(self.member, "wallet", 100, self.day(30))
        second = self.lot(self.member, "wallet", 100, self.day(60))
        cashier = Ledger.with_user(self.cashier)
        member = self.member.with_user(self.cashier)
        # from the lots read with the balances, then from the database
        cashier._loyalty_post_many([member._loyalty_spending("wallet", 30)])
        member._loyalty_spend("wallet", 120)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual((first.remaining, second.remaining), (0, 50))
        self.assertEqual((first.x_left_in_cents, second.x_left_in_cents), (0, 5000))
