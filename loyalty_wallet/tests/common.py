# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
import io
import threading
from pathlib import Path

import polib

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user, tagged
from odoo.tools.translate import trans_export

from odoo.addons.point_of_sale.tests.common import TestPoSCommon

# The languages of our first shops: every addon ships a complete .po of each.
SHOP_LANGUAGES = ("fa", "tr", "it")


def run_migration(cr, version, from_version, module="loyalty_wallet"):
    """Run ``module``'s ``migrations/<version>/post-migrate.py`` on ``cr``,
    as the upgrade from ``from_version`` does."""
    path = Path(get_module_path(module), "migrations", version, "post-migrate.py")
    spec = importlib.util.spec_from_file_location(f"{module}_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.migrate(cr, from_version)


def run_together(target, args, copies=2, timeout=120):
    """Run ``copies`` threads of ``target(*args, barrier)`` at the same time
    (each waits on ``barrier`` once its transaction has its snapshot, so that
    they really compete) and wait for all of them."""
    barrier = threading.Barrier(copies)
    threads = [
        threading.Thread(target=target, args=(*args, barrier))
        for _copy in range(copies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)


def committed_member(registry, company_id, kind, amount):
    """Enrol a new customer holding ``amount`` of ``kind`` in ``company_id`` and
    commit it, for tests whose tills run in their own cursors; return its id."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [company_id]})
        partner = env["res.partner"].create({"name": "Two tills"})
        partner._loyalty_enroll()
        partner.loyalty_adjust(kind, amount, "opening balance")
        return partner.id


def drop_committed_members(cr, partner_ids):
    """Undo ``committed_member``: ledger rows can't be deleted through the ORM."""
    if not partner_ids:
        return
    cr.execute(
        "DELETE FROM loyalty_transaction WHERE partner_id IN %s", [tuple(partner_ids)]
    )
    cr.execute(
        "DELETE FROM loyalty_balance WHERE partner_id IN %s", [tuple(partner_ids)]
    )
    cr.execute(
        "UPDATE res_partner SET active = FALSE WHERE id IN %s", [tuple(partner_ids)]
    )


def committed_user(registry, company_id, login, groups):
    """Create and commit a user of ``company_id`` with ``groups`` (xml ids,
    comma-separated), for tests whose tills run in their own cursors, e.g. a
    cashier (``point_of_sale.group_pos_user``); return its id."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [company_id]})
        return new_test_user(
            env,
            login=login,
            groups=f"base.group_user,{groups}",
            company_id=company_id,
            company_ids=[company_id],
        ).id


def drop_committed_users(cr, user_ids):
    """Undo ``committed_user``: archive the users (their orders and ledger
    rows, deleted by the other ``drop_committed_*``, referenced them)."""
    if user_ids:
        api.Environment(cr, SUPERUSER_ID, {})["res.users"].browse(
            user_ids
        ).active = False


class SetupSeenBySalesCase:
    """Mixed into a ``TransactionCase`` whose test runs a sale (a cashier's
    cursor) while a Loyalty Manager changes the club's setup (her own
    cursor, committed): committed users ``manager_id`` and ``cashier_id`` of
    ``company_id`` (the main company unless ``_setup_company_id`` says
    otherwise); records the test commits go in ``committed`` (model, id),
    deleted afterwards."""

    login_prefix = None  # unique per class: the users are committed

    @classmethod
    def _setup_company_id(cls, env):
        return env.ref("base.main_company").id

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            cls.company_id = cls._setup_company_id(
                api.Environment(cr, SUPERUSER_ID, {})
            )
        cls.manager_id, cls.cashier_id = (
            committed_user(
                cls.registry, cls.company_id, f"{cls.login_prefix}_{role}", group
            )
            for role, group in (
                ("manager", "loyalty_wallet.group_loyalty_manager"),
                ("cashier", "point_of_sale.group_pos_user"),
            )
        )
        cls.committed = []

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for model, record_id in reversed(cls.committed):
                env[model].browse(record_id).unlink()
            drop_committed_users(cr, [cls.manager_id, cls.cashier_id])
        super().tearDownClass()

    def env_of(self, cr, uid):
        return api.Environment(cr, uid, {"allowed_company_ids": [self.company_id]})

    def manager_commits(self, action):
        """Run ``action(env)`` as the manager, in her own committed cursor."""
        with self.registry.cursor() as manager_cr:
            action(self.env_of(manager_cr, self.manager_id))


class LedgerAssertions:
    """Mixed into every loyalty test case: after each test, every stored
    balance must equal the sum of its ledger rows and of its open lots."""

    def as_cron_user(self, records, xmlid="loyalty_wallet.ir_cron_loyalty_expire"):
        """``records`` in the environment the scheduled action ``xmlid`` runs
        in: Odoo's scheduler runs a job as the cron's ``user_id`` (root for
        our data, with ``su`` off, as ``ir.cron._process_job`` does), not
        as whoever happens to be logged in."""
        cron = self.env.ref(xmlid)
        return records.with_user(cron.user_id)

    def tearDown(self):
        mismatches = self.env["loyalty.transaction"]._loyalty_check_balances()
        super().tearDown()
        self.assertFalse(
            mismatches,
            f"balance != sum(ledger) for (partner, company, kind, ledger, lots, "
            f"stored): {mismatches}",
        )

    def assertMovedBy(self, rows, user):
        """The ledger ``rows`` were posted by ``user`` (their ``create_uid``):
        the flow under test really ran as that role, not as the test's
        administrator (the ledger's own ``sudo()`` keeps the acting user)."""
        self.assertTrue(rows, "no ledger row to check")
        self.assertEqual(rows.sudo().create_uid, user)

    def assertBalances(self, partner, wallet=None, points=None, company=None):
        partner = partner.with_company(company or self.env.company)
        partner.invalidate_recordset(["loyalty_wallet_balance", "loyalty_points"])
        if wallet is not None:
            self.assertAlmostEqual(partner.loyalty_wallet_balance, wallet, places=2)
        if points is not None:
            self.assertAlmostEqual(partner.loyalty_points, points, places=2)


def addon_pot(module):
    """The committed template ``<module>/i18n/<module>.pot`` (polib)."""
    return polib.pofile(str(addon_i18n_path(module) / f"{module}.pot"))


def addon_i18n_path(module):
    return Path(get_module_path(module), "i18n")


def exported_terms(env, module):
    """The msgids Odoo exports for ``module`` from this database, exactly as
    ``odoo i18n export`` writes its .pot (code, templates and records)."""
    buffer = io.BytesIO()
    if not trans_export(None, [module], buffer, "po", env):
        return set()
    return {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}


def untranslated(po, msgids):
    """The msgids of ``msgids`` that ``po`` does not translate: absent, empty
    or still marked fuzzy by the translator."""
    done = {
        entry.msgid
        for entry in po
        if entry.msgstr.strip() and not entry.obsolete and "fuzzy" not in entry.flags
    }
    return sorted(set(msgids) - done)


class TranslationFilesCase:
    """Mixed into a test case of the addon ``i18n_module``: its committed
    .pot must be what Odoo exports from the code, and each shop language's
    .po must translate every msgid of that .pot."""

    i18n_module = None
    i18n_languages = SHOP_LANGUAGES
    i18n_list_limit = 15

    def _i18n_listing(self, msgids):
        shown = [repr(msgid[:80]) for msgid in msgids[: self.i18n_list_limit]]
        more = len(msgids) - len(shown)
        return "\n    ".join(shown + ([f"... and {more} more"] if more else []))

    def _i18n_demo_terms(self, pot):
        """Msgids of the .pot that are only names of demo records (``model:``
        references to xml ids this database, installed without demo data,
        does not have): exported from a demo database, so that a shop that
        installs the demo reads them in its language."""
        IrModelData = self.env["ir.model.data"]
        demo = set()
        for entry in pot:
            refs = [occurrence for occurrence, _line in entry.occurrences]
            xmlids = [
                ref.rsplit(":", 1)[1]
                for ref in refs
                if ref.startswith(("model:", "model_terms:"))
            ]
            if xmlids and len(xmlids) == len(refs):
                if not any(IrModelData._xmlid_to_res_id(x, False) for x in xmlids):
                    demo.add(entry.msgid)
        return demo

    def test_i18n_pot_matches_the_code(self):
        module = self.i18n_module
        in_code = exported_terms(self.env, module)
        pot = addon_pot(module)
        in_pot = {entry.msgid for entry in pot if entry.msgid}
        in_pot -= self._i18n_demo_terms(pot) - in_code
        problems = []
        if missing := sorted(in_code - in_pot):
            problems.append(
                f"{len(missing)} terms of the code are not in the .pot:\n    "
                + self._i18n_listing(missing)
            )
        if stale := sorted(in_pot - in_code):
            problems.append(
                f"{len(stale)} msgids of the .pot are gone from the code:\n    "
                + self._i18n_listing(stale)
            )
        if problems:
            self.fail(
                f"{module}/i18n/{module}.pot is stale; re-export it with "
                f"`python3 -m odoo i18n export -c CONF -d DB {module}`.\n"
                + "\n".join(problems)
            )

    def test_i18n_po_files_translate_the_pot(self):
        module = self.i18n_module
        msgids = [entry.msgid for entry in addon_pot(module) if entry.msgid]
        problems = []
        for lang in self.i18n_languages:
            path = addon_i18n_path(module) / f"{lang}.po"
            if not path.exists():
                problems.append(f"{lang}.po is missing")
                continue
            if missing := untranslated(polib.pofile(str(path)), msgids):
                problems.append(
                    f"{lang}.po leaves {len(missing)} of {len(msgids)} msgids of "
                    f"the .pot untranslated:\n    " + self._i18n_listing(missing)
                )
        if problems:
            self.fail(f"{module}/i18n: " + "\n".join(problems))


@tagged("post_install", "-at_install")
class LoyaltyPosCommon(LedgerAssertions, TestPoSCommon):
    """A company with the club switched on, a shop whose till accepts cash,
    wallet and points, a product priced 1.00 (so quantities are amounts) and a
    member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("loyalty_wallet.group_loyalty_manager")
        cls.company.write(
            {
                "loyalty_cashback_active": True,
                "loyalty_cashback_type": "percent",
                "loyalty_cashback_value": 10.0,
                "loyalty_points_active": False,
                "loyalty_points_step_amount": 20000.0,
                "loyalty_points_per_step": 1.0,
                "loyalty_point_value": 1000.0,
            }
        )
        cls.config = cls.basic_config
        cls.wallet_method = cls.env["pos.payment.method"].create(
            {
                "name": "Wallet",
                "loyalty_payment": "wallet",
                "journal_id": cls.company_data["default_journal_bank"].id,
                "receivable_account_id": cls.pos_receivable_bank.id,
            }
        )
        cls.points_method = cls.env["pos.payment.method"].create(
            {
                "name": "Points",
                "loyalty_payment": "points",
                "journal_id": cls.company_data["default_journal_bank"].id,
                "receivable_account_id": cls.pos_receivable_bank.id,
            }
        )
        cls.config.payment_method_ids |= cls.wallet_method | cls.points_method
        cls.cash_method = cls.cash_pm1
        cls.product = cls.create_product("Basket", cls.categ_basic, 1.0)
        cls.member = cls.env["res.partner"].create({"name": "Ali Ahmadi"})
        cls.member._loyalty_enroll()
        # Fixtures are built as the administrator above; what the tests do
        # goes through the people of the shop (sync_orders, adjust, ...).
        cls.create_role_users()

    def setUp(self):
        super().setUp()
        self.open_new_session()

    def open_new_session(self, opening_cash=0):
        """The cashier opens the till (``TestPoSCommon``'s session, opened
        by the POS user rather than the administrator)."""
        self.config.with_user(self.cashier).open_ui()
        self.pos_session = self.config.current_session_id
        self.currency = self.pos_session.currency_id
        self.pricelist = self.pos_session.config_id.pricelist_id
        self.pos_session.with_user(self.cashier).set_opening_control(opening_cash, None)
        return self.pos_session

    @classmethod
    def create_role_users(cls):
        """The people of a shop, each with only the groups of their job (none
        of them is a settings administrator): ``cashier`` (Point of Sale
        user), ``loyalty_user``, ``loyalty_manager``, ``billing`` (invoicing)
        and ``accountant`` without Point of Sale rights, ``contact_editor``
        (Contact Creation), ``portal_customer`` (the member's portal login).
        ``setUpClass`` creates them; calling it again is harmless."""
        if "_loyalty_role_users" in vars(cls):
            return
        cls._loyalty_role_users = True
        company = cls.company

        def user(login, groups, **kwargs):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,{groups}",
                company_id=company.id,
                company_ids=[company.id],
                **kwargs,
            )

        cls.cashier = user("lw_cashier", "point_of_sale.group_pos_user")
        cls.loyalty_user = user("lw_loyalty_user", "loyalty_wallet.group_loyalty_user")
        cls.loyalty_manager = user(
            "lw_loyalty_manager", "loyalty_wallet.group_loyalty_manager"
        )
        cls.billing = user("lw_billing", "account.group_account_invoice")
        cls.accountant = user("lw_accountant", "account.group_account_manager")
        cls.contact_editor = user("lw_contact_editor", "base.group_partner_manager")
        cls.employee = user("lw_employee", "base.group_user")  # e.g. a warehouse clerk
        cls.portal_customer = new_test_user(
            cls.env,
            login="lw_portal",
            groups="base.group_portal",
            partner_id=cls.member.id,
        )

    def pos_order_data(self, partner, amount, payments=None, uuid=None, lines=None):
        return self.create_ui_order_data(
            lines or [(self.product, amount)],
            customer=partner,
            payments=payments,
            uuid=uuid,
        )

    def sync_orders(self, *orders_data):
        """The cashier's till syncs ``orders_data`` (as the POS user, whose
        orders they are); return the orders."""
        orders_data = [{**data, "user_id": self.cashier.id} for data in orders_data]
        self.env["pos.order"].with_user(self.cashier).sync_from_ui(orders_data)
        uuids = [data["uuid"] for data in orders_data]
        return self.env["pos.order"].search([("uuid", "in", uuids)])

    def pos_sale(self, partner, amount, payments=None):
        """Sell ``amount`` to ``partner``, paid in cash unless ``payments``
        ``[(method, amount)]`` say otherwise; return the paid order."""
        return self.sync_orders(self.pos_order_data(partner, amount, payments))

    def draft_credit_note(self, invoice, user):
        """``user``'s draft credit note of ``invoice`` (the Credit Note
        wizard), read as ``user``."""
        wizard = (
            self.env["account.move.reversal"]
            .with_user(user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": fields.Date.today()})
        )
        note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        return note.with_user(user)

    def pos_refund(self, order, amount, payments=None, **order_values):
        """Refund ``amount`` units of the single line of ``order`` (with
        ``order_values`` in the till's payload, e.g. ``to_invoice=True``)."""
        line = order.lines[:1]
        data = self.create_ui_order_data(
            [
                {
                    "product": line.product_id,
                    "quantity": -amount,
                    "refunded_orderline_id": line.id,
                }
            ],
            customer=order.partner_id,
            payments=payments,
        )
        return self.sync_orders({**data, **order_values})

    def earned(self, source, kind="wallet"):
        rows = self.env["loyalty.transaction"].search(
            [
                ("source_model", "=", source._name),
                ("source_id", "=", source.id),
                ("operation", "=", "earn"),
                ("kind", "=", kind),
            ]
        )
        return sum(rows.mapped("amount"))

    def adjust(self, partner, kind, amount):
        """A Loyalty Manager's manual adjustment (an opening balance)."""
        return partner.with_user(self.loyalty_manager).loyalty_adjust(
            kind, amount, "test setup"
        )

    def configure(self, **settings):
        """A Loyalty Manager saves the club's block of the settings (the
        company's ``loyalty_*`` settings) as the settings form does."""
        self.env["res.config.settings"].with_user(self.loyalty_manager).create(
            settings
        ).execute()
        self.company.invalidate_recordset()

    def campaign(self, **values):
        """A campaign created by a Loyalty Manager."""
        return (
            self.env["loyalty.campaign"].with_user(self.loyalty_manager).create(values)
        )

    def ledger_rows(self, source, operation=None):
        """The ledger rows ``source`` (an order, an invoice) posted."""
        domain = [("source_model", "=", source._name), ("source_id", "=", source.id)]
        if operation:
            domain.append(("operation", "=", operation))
        return self.env["loyalty.transaction"].search(domain, order="id")

    def lot(self, partner, kind, amount, expiration_date):
        """An earned lot expiring on ``expiration_date`` (past dates allowed)."""
        return partner._loyalty_earn(kind, amount, expiration_date=expiration_date)

    @staticmethod
    def day(offset):
        return fields.Date.add(fields.Date.today(), days=offset)
