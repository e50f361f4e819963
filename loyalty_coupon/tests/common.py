# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.loyalty_wallet.tests.common import LoyaltyPosCommon

COUPON_SETTINGS = {
    "loyalty_points_active": True,
    "loyalty_coupon_min_points": 100.0,
    "loyalty_coupon_points_per_unit": 10.0,
    "loyalty_coupon_validity_days": 30,
    "loyalty_coupon_reminder_days": 7,
    "loyalty_coupon_denominations": False,
}


@tagged("post_install", "-at_install")
class LoyaltyCouponCommon(LoyaltyPosCommon):
    """The club's shop turns 10 points into 1.00 of coupon, from 100 points
    up; coupons last 30 days, reminders go 7 days before. A customer holds
    150 points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(COUPON_SETTINGS)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Sara Karimi", "email": "sara@example.com"}
        )
        cls.customer._loyalty_enroll()
        cls.customer.loyalty_adjust("points", 150, "opening points")
        if not getattr(cls, "loyalty_manager", None):
            cls.create_role_users()

    def convert(self, points, partner=None, user=None):
        """``points`` of ``partner`` (the customer) turned into a coupon by
        ``user``: the cashier at the till, unless the test says who."""
        partner = (partner or self.customer).with_user(user or self.cashier)
        return partner.loyalty_convert_points(points).with_env(self.env)

    def save_settings(self, **values):
        """Save the club's settings as the Loyalty Manager does (*Loyalty >
        Configuration > Settings*)."""
        settings = (
            self.env["res.config.settings"]
            .with_user(self.loyalty_manager)
            .with_company(self.company)
            .create(values)
        )
        settings.execute()
        return settings

    def run_cron(self, xmlid):
        """What Odoo's scheduler does with the scheduled action ``xmlid``
        (``ir.cron._callback``): run its server action as the cron's own user
        (OdooBot, the superuser: a nightly job works for every customer of
        every company), here in the test's transaction instead of its own."""
        cron = self.env.ref(xmlid)
        cron.ir_actions_server_id.with_user(cron.user_id).run()

    def coupons_of(self, partner):
        return self.env["loyalty.card"].search(
            [("partner_id", "=", partner.id), ("loyalty_conversion_id", "!=", False)]
        )

    def convert_rows_of(self, partner):
        return self.env["loyalty.transaction"].search(
            [("partner_id", "=", partner.id), ("operation", "=", "convert")]
        )
