# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo.tests import TransactionCase, new_test_user, tagged

from ..tools import format_loyalty_date
from .common import LedgerAssertions

# 2021-06-26 05:20 UTC is 09:50 in Tehran (UTC+04:30): 1400/04/05 in Jalali.
SALE_UTC = datetime(2021, 6, 26, 5, 20)


@tagged("post_install", "-at_install")
class TestLoyaltyDateFormat(LedgerAssertions, TransactionCase):
    """Dates rendered in the environment of who reads them (a Loyalty User
    reading the ledger), in the language and time zone asked for or, by
    default, in theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["res.lang"]._activate_lang("it_IT")
        cls.reader = new_test_user(
            cls.env,
            login="lw_date_reader",
            groups="base.group_user,loyalty_wallet.group_loyalty_user",
            lang="fa_IR",
            tz="Asia/Tehran",
        )

    def reader_env(self):
        """The reader's session: their language and time zone, as a web
        request sets them from the user's preferences."""
        return self.env(
            user=self.reader, context=self.reader.with_user(self.reader).context_get()
        )

    def test_persian_reads_jalali_dates_in_its_time_zone(self):
        env = self.reader_env()

        def fa(value, **kwargs):
            return format_loyalty_date(env, value, lang="fa_IR", **kwargs)

        self.assertEqual(
            fa(SALE_UTC, tz="Asia/Tehran", with_time=True), "1400/04/05 09:50"
        )
        self.assertEqual(fa(SALE_UTC, tz="Asia/Tehran"), "1400/04/05")
        self.assertEqual(fa(date(2021, 6, 26)), "1400/04/05")
        self.assertEqual(
            format_loyalty_date(env, date(2030, 1, 1), lang="fa_AF"), "1408/10/12"
        )
        # 21:00 UTC on 25 June is already 26 June in Tehran.
        self.assertEqual(
            fa(datetime(2021, 6, 25, 21, 0), tz="Asia/Tehran"), "1400/04/05"
        )

    def test_other_languages_read_their_own_gregorian_format(self):
        env = self.reader_env()
        self.assertEqual(
            format_loyalty_date(
                env, SALE_UTC, lang="en_US", tz="Asia/Tehran", with_time=True
            ),
            "06/26/2021 09:50",
        )
        self.assertEqual(
            format_loyalty_date(env, date(2021, 6, 26), lang="en_US"),
            "06/26/2021",
        )
        self.assertEqual(
            format_loyalty_date(env, date(2021, 6, 26), lang="it_IT"),
            "26/06/2021",
        )

    def test_defaults_to_the_reader_of_the_environment(self):
        env = self.reader_env()
        self.assertEqual(env.lang, "fa_IR")
        self.assertEqual(
            format_loyalty_date(env, SALE_UTC, with_time=True), "1400/04/05 09:50"
        )
        self.assertEqual(
            env["loyalty.transaction"]._loyalty_format_date(SALE_UTC), "1400/04/05"
        )
        self.assertEqual(format_loyalty_date(env, False), "")
