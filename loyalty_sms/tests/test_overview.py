# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import LoyaltySmsCommon


@tagged("post_install", "-at_install")
class TestSmsOverview(LoyaltySmsCommon):
    def test_overview_counts_sms_sent_and_failed_this_month(self):
        Sms = self.env["sms.sms"].sudo()  # fixtures
        values = {
            "number": "+989123456789",
            "body": "Hi",
            "loyalty_company_id": self.company.id,
            "loyalty_rule_id": self.rule_earn.id,
        }
        Sms.create([{**values, "state": "sent"}, {**values, "state": "pending"}])
        failed = Sms.create({**values, "state": "error", "failure_type": "sms_server"})
        Sms.create({**values, "state": "error"}).loyalty_company_id = False
        # The overview is the Loyalty Manager's screen; its links open the
        # club's messages, which they may read.
        overview = (
            self.env["loyalty.overview"]
            .with_user(self.loyalty_manager)
            .with_company(self.company)
        )
        sms = overview.get_loyalty_overview()["sms"]
        self.assertEqual((sms["sent"], sms["failed"]), (2, 1))
        self.assertEqual(overview.env["sms.sms"].search(sms["domain_failed"]), failed)
