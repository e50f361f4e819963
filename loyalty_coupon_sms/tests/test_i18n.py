# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.loyalty_wallet.tests.common import (
    LedgerAssertions,
    TranslationFilesCase,
)


@tagged("post_install", "-at_install")
class TestI18nFiles(LedgerAssertions, TranslationFilesCase, TransactionCase):
    """The .pot follows the code; fa, tr and it translate all of it."""

    i18n_module = "loyalty_coupon_sms"
