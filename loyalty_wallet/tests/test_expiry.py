# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestExpiry(LoyaltyPosCommon):
    """The nightly job (``ir_cron_loyalty_expire``) runs as the scheduler runs
    it: as the cron's user (root, what Odoo's scheduler uses for a job our
    data declares), never as a cashier or a manager; what it finds is what
    the cashier's sales left."""

    def ledger_job(self):
        return self.as_cron_user(self.env["loyalty.transaction"])

    def expire(self, day):
        return self.ledger_job()._loyalty_expire_due_lots(today=self.day(day))

    def expired_total(self):
        rows = self.env["loyalty.transaction"].search(
            [("partner_id", "=", self.member.id), ("operation", "=", "expire")]
        )
        return sum(rows.mapped("amount"))

    def test_expiry_takes_only_what_remains_of_due_lots(self):
        first = self.lot(self.member, "points", 100, self.day(10))
        second = self.lot(self.member, "points", 50, self.day(20))
        self.member.with_user(self.cashier)._loyalty_spend("points", 120)
        # Day 15: the first lot is due but empty, the second is not due.
        self.assertEqual(self.expire(15), 0)
        self.assertEqual(self.expired_total(), 0)
        self.assertBalances(self.member, points=30)
        # Day 21: the 30 left in the second lot expire, once.
        self.assertEqual(self.expire(21), 1)
        self.assertEqual(self.expire(21), 0)
        self.assertEqual(self.expired_total(), -30)
        self.assertEqual((first.remaining, second.remaining), (0, 0))
        self.assertBalances(self.member, points=0)

    def test_lot_is_due_only_after_its_expiration_date(self):
        lot = self.lot(self.member, "wallet", 70, self.day(10))
        self.assertEqual(self.expire(10), 0)
        self.assertEqual(self.expire(11), 1)
        expiry = lot.expired_by_id
        self.assertEqual((expiry.operation, expiry.amount), ("expire", -70))
        cron = self.env.ref("loyalty_wallet.ir_cron_loyalty_expire")
        self.assertMovedBy(expiry, cron.user_id)
        self.assertEqual(lot.expired_amount, 70)
        self.assertBalances(self.member, wallet=0)

    def test_one_expiry_row_per_kind_names_each_lot_it_expired(self):
        first = self.lot(self.member, "points", 100, self.day(10))
        second = self.lot(self.member, "points", 50, self.day(12))
        wallet = self.lot(self.member, "wallet", 40, self.day(11))
        kept = self.lot(self.member, "points", 5, self.day(30))
        self.member._loyalty_spend("points", 20)  # from the first lot
        self.assertEqual(self.expire(20), 3)
        rows = self.env["loyalty.transaction"].search(
            [("partner_id", "=", self.member.id), ("operation", "=", "expire")]
        )
        self.assertEqual(
            sorted(rows.mapped(lambda r: (r.kind, r.amount))),
            [("points", -130), ("wallet", -40)],
        )
        points_row = rows.filtered(lambda r: r.kind == "points")
        self.assertEqual((first | second).expired_by_id, points_row)
        self.assertEqual((first.expired_amount, second.expired_amount), (80, 50))
        self.assertEqual(wallet.expired_by_id, rows - points_row)
        self.assertFalse(kept.expired_by_id)
        self.assertBalances(self.member, points=5, wallet=0)

    def test_expiry_in_batches_is_complete_and_rerunnable(self):
        others = self.env["res.partner"].create(
            [{"name": f"Member {i}"} for i in range(7)]
        )
        for partner in others:
            partner._loyalty_enroll()
            self.lot(partner, "wallet", 10, self.day(-1))
            self.adjust(partner, "wallet", 5)
        Transaction = self.ledger_job()
        self.assertEqual(Transaction._loyalty_expire_due_lots(batch_size=3), 7)
        self.assertEqual(Transaction._loyalty_expire_due_lots(batch_size=3), 0)
        for partner in others:
            self.assertBalances(partner, wallet=5)

    def test_reminder_is_emitted_once_per_lot(self):
        self.configure(loyalty_expiry_reminder_days=7)
        self.member.email = "ali@example.com"
        self.lot(self.member, "points", 40, self.day(5))
        self.lot(self.member, "points", 40, self.day(30))
        Transaction = self.ledger_job()
        mails_before = self.env["mail.mail"].search_count([])
        self.assertEqual(Transaction._loyalty_send_expiry_reminders(), 1)
        self.assertEqual(Transaction._loyalty_send_expiry_reminders(), 0)
        mails = self.env["mail.mail"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 1)
        self.assertIn("40", mails.body_html)

    def test_cron_is_registered_as_a_server_action(self):
        cron = self.env.ref("loyalty_wallet.ir_cron_loyalty_expire")
        self.assertEqual(cron.ir_actions_server_id.state, "code")
        self.lot(self.member, "wallet", 9, self.day(-2))
        # What the scheduler's _process_job does, without its commit.
        self.as_cron_user(cron.ir_actions_server_id).run()
        self.assertBalances(self.member, wallet=0)
