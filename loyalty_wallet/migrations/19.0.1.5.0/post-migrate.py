# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Wallet top-ups carry no customer tax (the wallet is credited what the
customer pays, the liability only booked the untaxed part). Every sales tax
of a top-up product is removed: those core gave the shipped top-up, a
product without company (the default sales tax of every company other than
the one it was installed in), and any a shop had set; the log names the
products."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        """
        DELETE FROM product_taxes_rel rel
         USING product_template t
         WHERE rel.prod_id = t.id AND t.loyalty_topup
     RETURNING t.id, t.name->>'en_US'
        """
    )
    templates = dict(cr.fetchall())
    if templates:
        _logger.warning(
            "Sales taxes removed from %d wallet top-up product(s), which "
            "carry none: %s",
            len(templates),
            ", ".join(f"{name} (id {tid})" for tid, name in sorted(templates.items())),
        )
