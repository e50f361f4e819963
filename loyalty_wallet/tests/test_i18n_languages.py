# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Acceptance of issue 9: with Persian, Turkish or Italian loaded, the club's
menus, settings, ledger, portal page, POS terms and default templates show no
English. What "translated" means comes from the addons' .po files: every
English term of a sampled screen that the .pot knows must show as the .po's
msgstr, and no longer as the English msgid."""

import re
from datetime import date, datetime

import polib
from lxml import etree, html

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.translate import code_translations

from ..tools import with_ledger_token
from .common import LedgerAssertions, addon_i18n_path, addon_pot

SUITE = ("loyalty_wallet", "loyalty_tier", "loyalty_coupon", "loyalty_sms")
# Odoo language code -> the .po file of our addons.
LANGUAGES = {"fa_IR": "fa", "tr_TR": "tr", "it_IT": "it"}
TRANSLATED_ATTRIBUTES = (
    "string",
    "help",
    "placeholder",
    "title",
    "aria-label",
    "alt",
    "confirm",
    "sum",
)
# The expiry of the sample lot and coupon (2030-01-01), as Persian reads it.
EXPIRY = date(2030, 1, 1)
EXPIRY_JALALI = "1408/10/12"


def normalized(text):
    return " ".join(text.split())


def markup_texts(root):
    """The texts a reader sees in ``root``: text nodes and the translated
    attributes, whitespace-normalized."""
    texts = []
    for node in root.iter():
        if not isinstance(node.tag, str):  # comments, processing instructions
            continue
        texts.append(node.text or "")
        if node is not root:
            texts.append(node.tail or "")
        texts.extend(node.get(attribute, "") for attribute in TRANSLATED_ATTRIBUTES)
    return [normalized(text) for text in texts if text.strip()]


def region_texts(markup, xpath, parser=html.fromstring):
    return [text for node in parser(markup).xpath(xpath) for text in markup_texts(node)]


def english_phrases(source):
    """Phrases of at least two words of an English template source, without
    its expressions and @ variables."""
    text = re.sub(r"<[^>]+>|\{\{.*?\}\}|@\w+", "|", source)
    return {
        normalized(part)
        for part in re.split(r"[|,.!?:;()\n]", text)
        if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2
    }


@tagged("post_install", "-at_install")
class TestShopLanguages(LedgerAssertions, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        installed = cls.env["ir.module.module"].search(
            [("name", "in", SUITE), ("state", "=", "installed")]
        )
        cls.modules = [name for name in SUITE if name in installed.mapped("name")]
        for code in LANGUAGES:
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            cls.modules, list(LANGUAGES), overwrite=True
        )
        # {normalized msgid: msgid} of our .pot files; {lang: {msgid: {msgstr}}}
        # (two addons may translate one msgid differently: either is right)
        cls.pot_terms = {}
        cls.po_terms = {code: {} for code in LANGUAGES}
        for module in cls.modules:
            for entry in addon_pot(module):
                cls.pot_terms[normalized(entry.msgid)] = entry.msgid
            for code, iso in LANGUAGES.items():
                path = addon_i18n_path(module) / f"{iso}.po"
                if not path.exists():
                    continue
                for entry in polib.pofile(str(path)):
                    if entry.msgstr.strip() and "fuzzy" not in entry.flags:
                        cls.po_terms[code].setdefault(entry.msgid, set()).add(
                            normalized(entry.msgstr)
                        )

        cls.env.company.loyalty_cashback_active = True
        cls.member = cls.env["res.partner"].create(
            {"name": "Sara Rossi", "email": "sara@example.com", "tz": "Asia/Tehran"}
        )
        cls.member._loyalty_enroll()
        lot = cls.member._loyalty_earn(
            "wallet",
            1234567,
            date=datetime(2021, 6, 26, 5, 20),
            expiration_date=EXPIRY,
            description="Shop opening gift",
        )
        with_ledger_token(lot).expiry_reminder_sent = True
        cls.member._loyalty_earn(
            "points", 1500, expiration_date=EXPIRY, description="Shop opening points"
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="loyal_languages",
            password="loyal_languages",
            groups="base.group_portal",
            partner_id=cls.member.id,
        )
        # Who reads each screen: the Loyalty Manager the club's menus and
        # settings, a Loyalty User the ledger, the cashier the till's
        # refusals; the scheduler's user renders the reminders.
        cls.manager = new_test_user(
            cls.env,
            login="loyal_languages_manager",
            groups="base.group_user,loyalty_wallet.group_loyalty_manager",
        )
        cls.ledger_reader = new_test_user(
            cls.env,
            login="loyal_languages_reader",
            groups="base.group_user,loyalty_wallet.group_loyalty_user",
        )
        cls.cashier = new_test_user(
            cls.env,
            login="loyal_languages_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
        )
        cls.readers = {
            "ir.ui.menu": cls.manager,
            "res.config.settings": cls.manager,
            "loyalty.transaction": cls.ledger_reader,
        }

    # ------------------------------------------------------------------
    # The check
    # ------------------------------------------------------------------

    def assertNoEnglish(self, code, english_texts, translated_texts, where):
        """Every text of the English screen that is a term of our .pot shows
        as the .po's translation on the ``code`` screen, and no longer in
        English. Texts that are not ours (Odoo's words, data) are ignored."""
        translations = self.po_terms[code]
        shown = set(translated_texts)
        checked, problems = set(), []
        for text in english_texts:
            msgid = self.pot_terms.get(text)
            if msgid is None or msgid in checked:
                continue
            checked.add(msgid)
            msgstrs = translations.get(msgid)
            if not msgstrs:
                problems.append(f"not translated: {msgid!r}")
            elif not msgstrs & shown:
                problems.append(f"{msgid!r} should read {' or '.join(msgstrs)!r}")
            elif text not in msgstrs and text in shown:
                problems.append(f"{msgid!r} still shows in English")
        self.assertTrue(checked, f"{where}: no term of ours to check (sample broken)")
        if problems:
            self.fail(
                f"{code}, {where} ({len(checked)} terms checked):\n  "
                + "\n  ".join(problems)
            )

    def assertTemplateTranslated(self, code, record, field, rendered, where):
        """A whole-field translated template (mail and SMS bodies, subjects):
        its ``code`` value is the .po's msgstr of the English source, and the
        ``rendered`` text keeps none of the English phrases."""
        english = record.with_context(lang="en_US")[field]
        source = str(english)
        msgstrs = self.po_terms[code].get(source)
        self.assertTrue(msgstrs, f"{code}, {where}: {field} is not translated")
        self.assertIn(
            normalized(str(record.with_context(lang=code)[field])),
            msgstrs,
            f"{code}, {where}: the {field} loaded is not the .po's",
        )
        left = sorted(
            phrase for phrase in english_phrases(source) if phrase in rendered
        )
        self.assertFalse(left, f"{code}, {where}: English left in {field}: {left}")

    # ------------------------------------------------------------------
    # The screens
    # ------------------------------------------------------------------

    def records_of(self, model):
        data = self.env["ir.model.data"].search(
            [("model", "=", model), ("module", "in", self.modules)]
        )
        return self.env[model].browse(data.mapped("res_id"))

    def as_reader(self, model):
        """``model`` as the person who reads its screens."""
        return self.env[model].with_user(self.readers[model])

    def test_menus(self):
        menus = self.records_of("ir.ui.menu").with_user(self.manager)
        english = [
            normalized(name) for name in menus.with_context(lang="en_US").mapped("name")
        ]
        for code in LANGUAGES:
            shown = [
                normalized(name)
                for name in menus.with_context(lang=code).mapped("name")
            ]
            self.assertNoEnglish(code, english, shown, "Loyalty menus")

    def field_texts(self, model, lang):
        Model = self.as_reader(model).with_context(lang=lang)
        names = [name for name in Model._fields if name.startswith("loyalty_")]
        if model.startswith("loyalty."):
            names = list(Model._fields)
        texts = []
        for description in Model.fields_get(
            names, ["string", "help", "selection"]
        ).values():
            texts += [description.get("string", ""), description.get("help", "")]
            texts += [label for _value, label in description.get("selection") or []]
        return [normalized(text) for text in texts if text]

    def arch(self, model, view_type, lang):
        Model = self.as_reader(model).with_context(lang=lang)
        views = Model.get_views([(False, view_type)])
        return views["views"][view_type]["arch"]

    def test_settings(self):
        xpath = "//app[@name='loyalty_wallet']"
        english_labels = self.field_texts("res.config.settings", "en_US")
        english_block = region_texts(
            self.arch("res.config.settings", "form", "en_US"), xpath, etree.fromstring
        )
        for code in LANGUAGES:
            self.assertNoEnglish(
                code,
                english_labels,
                self.field_texts("res.config.settings", code),
                "settings labels",
            )
            self.assertNoEnglish(
                code,
                english_block,
                region_texts(
                    self.arch("res.config.settings", "form", code),
                    xpath,
                    etree.fromstring,
                ),
                "settings block",
            )

    def test_ledger(self):
        model = "loyalty.transaction"
        english_fields = self.field_texts(model, "en_US")
        for code in LANGUAGES:
            self.assertNoEnglish(
                code, english_fields, self.field_texts(model, code), "ledger fields"
            )
            for view_type in ("list", "search"):
                self.assertNoEnglish(
                    code,
                    region_texts(
                        self.arch(model, view_type, "en_US"), "/*", etree.fromstring
                    ),
                    region_texts(
                        self.arch(model, view_type, code), "/*", etree.fromstring
                    ),
                    f"ledger {view_type} view",
                )

    def test_ledger_messages(self):
        """A refusal of the ledger (Python code terms) in the reader's language."""
        for code in LANGUAGES:
            with self.assertRaises(UserError) as refusal:
                # the cashier's till asks for more points than Sara holds
                self.member.with_user(self.cashier).with_context(
                    lang=code
                )._loyalty_spend("points", 999999)
            message = str(refusal.exception.args[0])
            msgid = (
                "%(partner)s has only %(balance)s points; %(wanted)s cannot be spent."
            )
            msgstrs = self.po_terms[code].get(msgid)
            self.assertTrue(msgstrs, f"{code}: {msgid!r} is not translated")
            (msgstr,) = msgstrs
            for fragment in re.split(r"%\(\w+\)s", msgstr):
                self.assertIn(fragment.strip(), message, f"{code}: {message!r}")
            self.assertNotIn("cannot be spent", message, code)

    def portal_page(self, lang, url="/my/loyalty"):
        self.portal_user.lang = lang
        self.authenticate("loyal_languages", "loyal_languages")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_portal_page(self):
        xpath = (
            "//ol[contains(@class, 'o_portal_submenu')]"
            " | //*[contains(@class, 'o_loyalty_balances')]"
            " | //*[contains(@class, 'o_loyalty_next_expiries')]"
            " | //table"
        )
        home = "//*[@id='portal_client_category']"
        english = region_texts(self.portal_page("en_US"), xpath)
        english_home = region_texts(self.portal_page("en_US", "/my/home"), home)
        for code in LANGUAGES:
            page = self.portal_page(code)
            self.assertNoEnglish(
                code, english, region_texts(page, xpath), "portal page"
            )
            self.assertNoEnglish(
                code,
                english_home,
                region_texts(self.portal_page(code, "/my/home"), home),
                "portal home",
            )
            if code == "fa_IR":
                self.assertIn(EXPIRY_JALALI, page)
                self.assertIn("1400/04/05", page)

    def test_pos_terms(self):
        """The POS screens' words (OWL templates and _t) are served translated."""
        for module in self.modules:
            msgids = {
                entry.msgid
                for entry in addon_pot(module)
                if any("/static/src/" in path for path, _line in entry.occurrences)
            }
            for code in LANGUAGES:
                served = {
                    message["id"]: message["string"]
                    for message in code_translations.get_web_translations(module, code)[
                        "messages"
                    ]
                }
                missing = sorted(msgid for msgid in msgids if not served.get(msgid))
                self.assertFalse(
                    missing, f"{code}, {module} POS terms in English: {missing}"
                )

    def test_mail_templates(self):
        wallet_mail = self.env.ref("loyalty_wallet.mail_template_loyalty_expiring")
        samples = [(wallet_mail, self.member)]
        if "loyalty_coupon" in self.modules:
            card = self.env["loyalty.card"].create(
                {
                    "program_id": self.env.company._loyalty_coupon_program().id,
                    "partner_id": self.member.id,
                    "points": 12000,
                    "expiration_date": EXPIRY,
                }
            )
            for xmlid in (
                "mail_template_loyalty_coupon_issued",
                "mail_template_loyalty_coupon_expiring",
            ):
                samples.append((self.env.ref(f"loyalty_coupon.{xmlid}"), card))
        for code in LANGUAGES:
            for template, record in samples:
                where = template.get_external_id()[template.id]
                # rendered by the nightly job that sends them
                renderer = self.as_cron_user(template)
                for field in ("subject", "body_html"):
                    rendered = renderer._render_field(field, record.ids, set_lang=code)[
                        record.id
                    ]
                    self.assertTemplateTranslated(
                        code, template, field, str(rendered), where
                    )
                    if code == "fa_IR" and field == "body_html":
                        self.assertIn(EXPIRY_JALALI, str(rendered), where)

    def test_sms_templates(self):
        if "loyalty_sms" not in self.modules:
            return
        templates = self.records_of("sms.template")
        self.assertTrue(templates)
        for code in LANGUAGES:
            for template in templates:
                # rendered by the job that sends the messages
                rendered = self.as_cron_user(template)._render_field(
                    "body", self.member.ids, set_lang=code
                )[self.member.id]
                where = template.get_external_id()[template.id]
                self.assertTemplateTranslated(code, template, "body", rendered, where)
