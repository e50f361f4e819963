# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Order payloads shaped like the ones the POS sends to ``sync_from_ui``, for
tests and benchmarks that run outside ``TestPoSCommon`` (committed data)."""

import uuid as uuid_lib

from odoo import fields


def pos_payload(session, product, amount, partner=None, payments=(), uuid=None):
    """One paid order of ``amount`` units of a tax-free ``product`` priced 1.00,
    paid with ``payments`` ``[(method, amount)]``."""
    uuid = uuid or str(uuid_lib.uuid4())
    lines = [
        (
            0,
            0,
            {
                "product_id": product.id,
                "qty": amount,
                "price_unit": product.lst_price,
                "price_subtotal": amount * product.lst_price,
                "price_subtotal_incl": amount * product.lst_price,
                "tax_ids": [],
                "pack_lot_ids": [],
            },
        )
    ]
    total = amount * product.lst_price
    return {
        "amount_paid": sum(paid for _method, paid in payments),
        "amount_return": 0,
        "amount_tax": 0,
        "amount_total": total,
        "date_order": fields.Datetime.to_string(fields.Datetime.now()),
        "fiscal_position_id": False,
        "pricelist_id": session.config_id.pricelist_id.id,
        "name": f"Order {uuid}",
        "last_order_preparation_change": "{}",
        "lines": lines,
        "partner_id": partner.id if partner else False,
        "session_id": session.id,
        "payment_ids": [
            (
                0,
                0,
                {
                    "amount": paid,
                    "name": fields.Datetime.now(),
                    "payment_method_id": method.id,
                },
            )
            for method, paid in payments
        ],
        "uuid": uuid,
        "user_id": session.env.uid,
        "to_invoice": False,
    }


def committed_shop(env, name, code="LWC"):
    """A till of the main company with cash, card and wallet methods, an open
    session and a product priced 1.00 (caller commits; see drop_committed_shop).
    ``code``: the till's cash journal code, unique per till."""
    company = env.company
    cash_journal = env["account.journal"].create(
        {
            "name": f"{name} cash",
            "type": "cash",
            "code": code,
            "company_id": company.id,
        }
    )
    bank_journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    cash = env["pos.payment.method"].create(
        {"name": f"{name} cash", "journal_id": cash_journal.id}
    )
    card = env["pos.payment.method"].create(
        {"name": f"{name} card", "journal_id": bank_journal.id}
    )
    wallet = env["pos.payment.method"].create(
        {
            "name": f"{name} wallet",
            "journal_id": bank_journal.id,
            "loyalty_payment": "wallet",
        }
    )
    config = env["pos.config"].create(
        {"name": name, "payment_method_ids": [(6, 0, (cash | card | wallet).ids)]}
    )
    config.open_ui()
    session = config.current_session_id
    session.set_opening_control(0, None)
    product = env["product.product"].create(
        {
            "name": f"{name} basket",
            "lst_price": 1.0,
            "available_in_pos": True,
            "taxes_id": [],
        }
    )
    return {
        "session": session,
        "cash": cash,
        "card": card,
        "wallet": wallet,
        "product": product,
        "journal": cash_journal,
    }


def drop_committed_shop(cr, shop_ids):
    """Delete what ``committed_shop`` and its orders wrote (ids of records:
    session, config, methods, journal, product)."""
    cr.execute(
        "DELETE FROM pos_payment WHERE session_id = %(session)s;"
        "DELETE FROM pos_order_line WHERE order_id IN "
        "  (SELECT id FROM pos_order WHERE session_id = %(session)s);"
        "DELETE FROM pos_order WHERE session_id = %(session)s;"
        "DELETE FROM pos_session WHERE id = %(session)s;"
        "DELETE FROM pos_config WHERE id = %(config)s;"
        "DELETE FROM pos_payment_method WHERE id IN %(methods)s;"
        "DELETE FROM account_journal WHERE id = %(journal)s;"
        "UPDATE product_template SET active = FALSE WHERE id = %(template)s;",
        shop_ids,
    )


def shop_ids(shop):
    return {
        "session": shop["session"].id,
        "config": shop["session"].config_id.id,
        "methods": tuple((shop["cash"] | shop["card"] | shop["wallet"]).ids),
        "wallet": shop["wallet"].id,
        "journal": shop["journal"].id,
        "template": shop["product"].product_tmpl_id.id,
    }
