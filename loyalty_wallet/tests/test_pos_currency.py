# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import LoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPosCurrency(LoyaltyPosCommon):
    def test_a_till_in_another_currency_refuses_loyalty_payment_methods(self):
        """The shop's POS manager, who sets up the tills, is refused."""
        pos_manager = new_test_user(
            self.env,
            login="lw_currency_pos_manager",
            groups="base.group_user,point_of_sale.group_pos_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        config = self.other_currency_config
        self.assertNotEqual(config.currency_id, self.company.currency_id)
        with self.assertRaisesRegex(ValidationError, "cannot be taken there"):
            config.with_user(pos_manager).write(
                {"payment_method_ids": [Command.link(self.wallet_method.id)]}
            )
