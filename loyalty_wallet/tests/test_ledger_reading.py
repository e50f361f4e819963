# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a shop owner reads in the ledger: money and points never added
together, movements described in the reader's language, "expiring soon"
meaning the company's reminder days."""

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestLedgerReading(LoyaltyPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.company.write(
            {
                "loyalty_points_active": True,
                "loyalty_points_step_amount": 100.0,
                "loyalty_points_per_step": 1.0,
                "loyalty_expiry_reminder_days": 7,
            }
        )
        cls.owner = new_test_user(
            cls.env,
            login="loyal_reader",
            groups="loyalty_wallet.group_loyalty_user,base.group_partner_manager",
            lang="fa_IR",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def as_owner(self, records):
        """``records`` as the owner's session reads them (in Persian)."""
        return records.with_user(self.owner).with_context(lang=self.owner.lang)

    def ledger_as_owner(self):
        return self.as_owner(self.env["loyalty.transaction"])

    def test_pivot_sums_money_and_points_apart(self):
        self.adjust(self.member, "wallet", 47.5)
        self.adjust(self.member, "points", 600)
        self.adjust(self.member, "points", -200)
        measures = ["wallet_amount:sum", "points_amount:sum"]
        groups = self.ledger_as_owner().formatted_read_group(
            [("partner_id", "=", self.member.id)], ["kind"], measures
        )
        by_kind = {
            group["kind"]: (group["wallet_amount:sum"], group["points_amount:sum"])
            for group in groups
        }
        self.assertEqual(by_kind, {"wallet": (47.5, 0), "points": (0, 400)})
        [total] = self.ledger_as_owner().formatted_read_group(
            [("partner_id", "=", self.member.id)], [], measures
        )
        self.assertEqual(
            (total["wallet_amount:sum"], total["points_amount:sum"]), (47.5, 400)
        )
        # The signed amount and remainder mix both kinds: no pivot total.
        fields_info = self.ledger_as_owner().fields_get(["amount", "remaining"])
        self.assertFalse(fields_info["amount"].get("aggregator"))
        self.assertFalse(fields_info["remaining"].get("aggregator"))

    def test_expired_rows_keep_their_kind_measures(self):
        self.lot(self.member, "points", 30, self.day(-1))
        self.lot(self.member, "wallet", 5, self.day(-1))
        self.as_cron_user(self.env["loyalty.transaction"])._loyalty_expire_due_lots()
        expired = self.env["loyalty.transaction"].search(
            [("partner_id", "=", self.member.id), ("operation", "=", "expire")]
        )
        self.assertEqual(
            sorted(
                expired.mapped(lambda r: (r.kind, r.wallet_amount, r.points_amount))
            ),
            [("points", 0.0, -30.0), ("wallet", -5.0, 0.0)],
        )
        lots = self.env["loyalty.transaction"].search(
            [("expired_by_id", "in", expired.ids)]
        )
        self.assertEqual(lots.mapped("points_remaining"), [0.0, 0.0])
        self.assertEqual(lots.mapped("wallet_remaining"), [0.0, 0.0])

    def test_descriptions_read_in_the_readers_language(self):
        order = self.pos_sale(self.member, 150)
        rows = self.env["loyalty.transaction"].search(
            [("source_model", "=", "pos.order"), ("source_id", "=", order.id)]
        )
        points_row = rows.filtered(lambda r: r.kind == "points")
        self.assertEqual(points_row.description, f"Points on {order.display_name}")
        in_persian = self.as_owner(points_row).description_display
        self.assertEqual(in_persian, f"امتیاز برای {order.display_name}")
        self.assertEqual(self.as_owner(points_row).display_name, in_persian)

    def test_the_cashback_offer_is_named_in_the_readers_language(self):
        """The cashier's sale (in English) earns under a campaign named in
        Persian too: the Persian reader sees the campaign's Persian name, and
        the base cashback's, not the names the cashier's session used."""
        yalda = self.campaign(
            name="Yalda night", date_end=self.day(1), cashback_percent=20.0
        )
        yalda.with_context(lang="fa_IR").name = "شب یلدا"
        under_campaign = self.ledger_rows(self.pos_sale(self.member, 200), "earn")
        yalda.active = False
        under_base = self.ledger_rows(self.pos_sale(self.member, 200), "earn")
        under_campaign, under_base = (
            rows.filtered(lambda r: r.kind == "wallet")
            for rows in (under_campaign, under_base)
        )
        self.assertIn("(Yalda night)", under_campaign.description)
        self.assertIn("(شب یلدا)", self.as_owner(under_campaign).description_display)
        self.assertIn("(Base cashback)", under_base.description)
        self.assertIn(
            "(اعتبار هدیه پایه)", self.as_owner(under_base).description_display
        )

    def cashback_rows(self, offer_refs):
        """Cashback rows earned under ``offer_refs`` (fixtures: what a sale
        would post), as the owner reads them afresh."""
        rows = self.env["loyalty.transaction"]
        for ref in offer_refs:
            rows |= self.member._loyalty_earn(
                "wallet",
                5,
                description_code="cashback",
                description_params={
                    "doc": "Shop/0001",
                    "offer": "As posted",
                    "offer_ref": ref,
                },
            )
        self.env.invalidate_all()
        return self.as_owner(rows)

    def queries_to_describe(self, rows):
        before = self.env.cr.sql_log_count
        rows.mapped("description_display")
        return self.env.cr.sql_log_count - before

    def test_offer_names_are_read_once_for_a_whole_list(self):
        campaigns = self.env["loyalty.campaign"].create(
            [
                {"name": f"Campaign {number}", "date_end": self.day(1)}
                for number in range(5)
            ]
        )
        refs = [f"loyalty.campaign,{campaign.id}" for campaign in campaigns]
        # (the first read also loads the reader's rules and translations)
        self.queries_to_describe(self.cashback_rows(refs[:1]))
        one = self.queries_to_describe(self.cashback_rows(refs[1:2]))
        five_rows = self.cashback_rows(refs)
        self.assertEqual(self.queries_to_describe(five_rows), one)
        self.assertEqual(
            five_rows.with_context(lang="en_US").mapped("description_display"),
            [f"Cashback on Shop/0001 (Campaign {n})" for n in range(5)],
        )

    def test_only_offers_name_themselves_in_descriptions(self):
        # A reference to another model (a contact) is not read: the row keeps
        # the name it was posted with.
        [row] = self.cashback_rows([f"res.partner,{self.member.id}"])
        self.assertEqual(
            row.with_context(lang="en_US").description_display,
            "Cashback on Shop/0001 (As posted)",
        )

    def test_a_managers_reason_stays_as_written(self):
        row = self.adjust(self.member, "wallet", 10)
        self.assertEqual(self.as_owner(row).description_display, "test setup")

    def test_expiring_soon_means_within_the_reminder_days(self):
        soon = self.lot(self.member, "points", 120, self.day(5))
        later = self.lot(self.member, "points", 80, self.day(300))
        found = self.ledger_as_owner().search(
            [("partner_id", "=", self.member.id), ("expiring_soon", "=", True)]
        )
        self.assertEqual(found, soon)
        self.assertTrue(soon.expiring_soon)
        self.assertFalse(later.expiring_soon)
        member = self.as_owner(self.member)
        self.assertEqual(member.loyalty_points_expiring_soon, 120)
        self.assertEqual(member.loyalty_wallet_expiring_soon, 0)

    def test_new_in_members_enrols_the_contact(self):
        self.configure(loyalty_points_signup=25)
        partner = (
            self.as_owner(self.env["res.partner"])
            .with_context(default_loyalty_member=True)
            .create({"name": "Walk-in Customer"})
        )
        self.assertTrue(partner.loyalty_member)
        self.assertEqual(
            partner.loyalty_enrolled_on, fields.Date.context_today(partner)
        )
        self.assertTrue(partner.barcode)
        self.assertBalances(partner, points=25)
        self.assertMovedBy(self.ledger_rows(partner), self.owner)

    def test_points_print_without_useless_decimals(self):
        # the owner's figures, in an English session
        fmt = self.env["loyalty.transaction"].with_user(self.owner)
        fmt = fmt._loyalty_format_points
        self.assertEqual(fmt(140.0), "140")
        self.assertEqual(fmt(1038.0), "1,038")
        self.assertEqual(fmt(12.5), "12.5")
