# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..tools import LEDGER_MERGE, with_ledger_token


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge moves the ledger rows of the merged contacts to the
    survivor (foreign keys) but would copy one contact's balance over the
    other's: the survivor's membership and balances are rebuilt from the
    ledger instead, so every movement stays and all of it is spendable."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if len(partners) < 2:
            return super()._merge(partner_ids, dst_partner, extra_checks)
        # The tills must not spend from a contact while its rows move.
        partners._loyalty_lock()
        membership = partners._loyalty_merge_membership()
        # The token drops the ledger's fields from Odoo's copy of the values.
        merging = with_ledger_token(self, LEDGER_MERGE)
        if dst_partner:
            dst_partner = dst_partner.with_env(merging.env)
        res = super(BasePartnerMergeAutomaticWizard, merging)._merge(
            partner_ids, dst_partner, extra_checks
        )
        survivor = partners.exists()
        if len(survivor) == 1:
            survivor._loyalty_rebuild_after_merge(membership)
        return res
