# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon, run_migration


@tagged("post_install", "-at_install")
class TestLoyaltyOverview(LoyaltyPosCommon):
    """The owner's overview says what the ledger says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="overview_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
            company_id=cls.company.id,
        )
        cls.others = cls.env["res.partner"].create(
            [{"name": f"Member {index}"} for index in range(3)]
        )
        for index, partner in enumerate(cls.others):
            partner._loyalty_enroll()
            partner.loyalty_adjust("wallet", 10000 * (index + 1), "seed")
        cls.member.loyalty_adjust("points", 40, "seed")
        cls.member._loyalty_earn("wallet", 3000, expiration_date=cls.day(10))
        cls.member._loyalty_earn("wallet", 500, expiration_date=cls.day(-1))
        cls.env["loyalty.transaction"]._loyalty_expire_due_lots()

    def overview(self):
        return (
            self.env["loyalty.overview"]
            .with_user(self.manager)
            .with_company(self.company)
            .get_loyalty_overview()
        )

    def ledger(self, domain):
        return self.env["loyalty.transaction"].search(
            [("company_id", "=", self.company.id), *domain]
        )

    def test_outstanding_is_the_ledger_sum(self):
        self.pos_sale(self.others[0], 5000, payments=[(self.wallet_method, 5000)])
        data = self.overview()
        self.assertAlmostEqual(
            data["credit_outstanding"],
            sum(self.ledger([("kind", "=", "wallet")]).mapped("amount")),
        )
        self.assertAlmostEqual(data["credit_outstanding"], 60000 + 3000 - 5000)
        self.assertAlmostEqual(data["points_outstanding"], 40)
        self.assertAlmostEqual(data["liability"], 58000 + 40 * 1000)

    def test_this_month_earned_spent_expired(self):
        self.pos_sale(self.others[0], 5000, payments=[(self.wallet_method, 5000)])
        month = self.overview()["month"]
        self.assertAlmostEqual(month["wallet_earned"], 60000 + 3000 + 500)
        self.assertAlmostEqual(month["wallet_spent"], 5000)
        self.assertAlmostEqual(month["wallet_expired"], 500)
        self.assertAlmostEqual(month["points_earned"], 40)
        spent = self.ledger([*month["domain"], ("operation", "=", "spend")])
        self.assertAlmostEqual(-sum(spent.mapped("amount")), 5000)

    def test_redemption_rate(self):
        self.pos_sale(
            self.others[2],
            31750,
            payments=[(self.wallet_method, 30000), (self.cash_method, 1750)],
        )
        data = self.overview()
        earned = data["month"]["wallet_earned"]
        self.assertAlmostEqual(data["redemption_rate"], round(100 * 30000 / earned, 1))

    def test_expiring_soon_and_its_records(self):
        expiring = self.overview()["expiring"]
        self.assertAlmostEqual(expiring["wallet"], 3000)
        self.assertEqual(expiring["members"], 1)
        self.assertEqual(self.ledger(expiring["domain"]).mapped("remaining"), [3000.0])

    def test_active_members_bought_in_the_last_90_days(self):
        self.pos_sale(self.others[1], 1000)
        active = self.overview()["active_members"]
        self.assertEqual(active["count"], 1)
        self.assertEqual(
            self.env["res.partner"].search(active["domain"]), self.others[1]
        )

    def test_top_members_hold_the_most_credit(self):
        top = self.overview()["top_members"]
        self.assertEqual([row["id"] for row in top[:3]], self.others[::-1].ids)
        self.assertAlmostEqual(top[0]["credit"], 30000)

    def test_only_managers_see_the_overview(self):
        cashier = new_test_user(
            self.env,
            login="overview_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            self.env["loyalty.overview"].with_user(cashier).get_loyalty_overview()

    def test_monthly_figures_are_the_same_folded_or_not(self):
        """The trend reads the folded months plus the movements since the
        fold: folding part of the ledger, or folding twice, changes nothing."""
        self.pos_sale(self.others[0], 5000, payments=[(self.wallet_method, 5000)])
        before = self.overview()["months"]
        Month = self.env["loyalty.overview.month"]
        middle = self.ledger([]).sorted("id")[3].id
        Month._loyalty_fold(upto=middle)
        Month._loyalty_fold(upto=middle)
        self.assertTrue(Month.search_count([]))
        self.assertEqual(self.overview()["months"], before)
        self.pos_sale(self.others[1], 2000, payments=[(self.wallet_method, 2000)])
        self.assertAlmostEqual(self.overview()["month"]["wallet_spent"], 7000)
        Month._loyalty_fold(upto=max(self.ledger([]).ids))
        self.assertAlmostEqual(self.overview()["month"]["wallet_spent"], 7000)
        self.assertAlmostEqual(self.overview()["month"]["wallet_earned"], 63500)

    def test_nightly_fold_takes_what_the_previous_night_saw(self):
        Month = self.env["loyalty.overview.month"]
        before = self.overview()["months"]
        Month._cron_loyalty_fold()  # first night: remembers the highest id
        self.assertFalse(Month.search_count([]))
        self.pos_sale(self.others[0], 5000, payments=[(self.wallet_method, 5000)])
        self.age_fold_candidate()
        Month._cron_loyalty_fold()  # next night: folds what the first one saw
        wallet = Month.search(
            [("company_id", "=", self.company.id), ("kind", "=", "wallet")]
        )
        self.assertAlmostEqual(sum(wallet.mapped("earned")), 63500)
        self.assertAlmostEqual(sum(wallet.mapped("spent")), 0)
        self.assertAlmostEqual(self.overview()["month"]["wallet_spent"], 5000)
        self.assertEqual(before[-1]["wallet_earned"], 63500)

    def age_fold_candidate(self, hours=24):
        """The fold's candidate as a run ``hours`` ago left it."""
        self.env["ir.config_parameter"].sudo().set_param(
            "loyalty_wallet.overview_fold_candidate_at",
            fields.Datetime.to_string(fields.Datetime.now() - timedelta(hours=hours)),
        )

    def test_a_manual_fold_right_after_the_nightly_one_folds_nothing(self):
        """A "Run Manually" minutes after the nightly run: the candidate the
        nightly run saw is too young (a transaction running then may still
        commit a movement below it), so nothing is folded and the candidate
        is kept for the next night."""
        Month = self.env["loyalty.overview.month"]
        params = self.env["ir.config_parameter"].sudo()
        folded = Month._loyalty_folded_id()
        Month._cron_loyalty_fold()  # the nightly run: remembers the highest id
        candidate = params.get_param("loyalty_wallet.overview_fold_candidate_id")
        self.age_fold_candidate(hours=0)
        self.pos_sale(self.others[0], 5000, payments=[(self.wallet_method, 5000)])
        Month._cron_loyalty_fold()  # by hand, right after
        self.assertFalse(Month.search_count([]))
        self.assertEqual(Month._loyalty_folded_id(), folded)
        self.assertEqual(
            params.get_param("loyalty_wallet.overview_fold_candidate_id"), candidate
        )
        self.age_fold_candidate(hours=21)
        Month._cron_loyalty_fold()  # the next night
        self.assertEqual(Month._loyalty_folded_id(), int(candidate))
        self.assertAlmostEqual(self.overview()["month"]["wallet_spent"], 5000)

    def test_the_upgrade_folds_the_whole_ledger(self):
        """19.0.1.2.0's migration folds every movement: the overview reads
        the monthly figures only, with the same figures."""
        before = self.overview()["months"]
        run_migration(self.env.cr, "19.0.1.2.0", "19.0.1.1.0")
        Month = self.env["loyalty.overview.month"]
        ledger = self.env["loyalty.transaction"].search([])
        self.assertEqual(Month._loyalty_folded_id(), max(ledger.ids))
        self.assertTrue(Month.search_count([]))
        self.assertEqual(self.overview()["months"], before)
