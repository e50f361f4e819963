# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPosCurrency(LoyaltyPosCommon):
    def test_a_till_in_another_currency_refuses_loyalty_payment_methods(self):
        config = self.other_currency_config
        self.assertNotEqual(config.currency_id, self.company.currency_id)
        with self.assertRaisesRegex(ValidationError, "cannot be taken there"):
            config.payment_method_ids |= self.wallet_method
