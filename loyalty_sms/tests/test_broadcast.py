# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltySmsCommon


@tagged("post_install", "-at_install")
class TestBroadcast(LoyaltySmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.loyalty_points_active = True
        cls.members = {}
        for name, phone, points in (
            ("Reza", "+98 912 100 0001", 500),
            ("Sara", "+98 912 100 0002", 50),
            ("Nima", False, 800),
            ("Mina", "+98 912 100 0004", 300),
        ):
            partner = cls.env["res.partner"].create(
                {"name": name, "phone": phone, "lang": "en_US"}
            )
            partner._loyalty_enroll()
            partner.loyalty_adjust("points", points, "test setup")
            cls.members[name] = partner

    def broadcast(self, **values):
        """The broadcast wizard, as the Loyalty Manager fills it in."""
        Broadcast = self.env["loyalty.sms.broadcast"].with_user(self.loyalty_manager)
        return Broadcast.with_company(self.company).create(
            {"body": "Hi @name, you have @totalpoints points", **values}
        )

    def test_points_threshold_counts_previews_and_sends(self):
        wizard = self.broadcast(min_points=300)
        self.assertEqual(wizard.recipient_count, 3)  # Reza, Nima, Mina
        self.assertEqual(wizard.preview, "Hi Reza, you have 500 points")
        wizard.action_send()
        self.run_sms_queue()
        self.assertEqual(
            sorted((r["body"]["to"], r["body"]["text"]) for r in self.sink.requests),
            [
                ("+989121000001", "Hi Reza, you have 500 points"),
                ("+989121000004", "Hi Mina, you have 300 points"),
            ],
        )
        nima_sms = self.queued_sms(self.members["Nima"])
        self.assertEqual(nima_sms.failure_type, "sms_number_missing")
        self.assertFalse(self.queued_sms(self.members["Sara"]))

    def test_tier_broadcast_reaches_gold_members_only(self):
        self.assertIn("loyalty.tier", self.env, "loyalty_tier is installed by .ci/test")
        tiers = self.env["loyalty.tier"].with_user(self.loyalty_manager)
        gold = tiers.create(
            {
                "name": "Gold",
                "sequence": 30,
                "min_points": 5000,
                "company_id": self.company.id,
            }
        )
        silver = tiers.create(
            {
                "name": "Silver",
                "sequence": 20,
                "min_points": 2000,
                "company_id": self.company.id,
            }
        )
        for name, tier in (
            ("Reza", gold),
            ("Sara", gold),
            ("Nima", gold),
            ("Mina", silver),
        ):
            self.members[name].with_company(self.company).sudo().write(
                {"loyalty_tier_id": tier.id}
            )
        wizard = self.broadcast(tier=str(gold.id), body="Gold news for @name (@tier)")
        self.assertTrue(wizard.has_tiers)
        self.assertEqual(wizard.recipient_count, 3)
        wizard.action_send()
        self.run_sms_queue()
        self.assertEqual(
            sorted(r["body"]["text"] for r in self.sink.requests),
            ["Gold news for Reza (Gold)", "Gold news for Sara (Gold)"],
        )
