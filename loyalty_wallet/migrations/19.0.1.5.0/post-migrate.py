# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Wallet top-ups carry no customer tax (the wallet is credited what the
customer pays, the liability only booked the untaxed part). Core gave the
shipped top-up, a product without company, the default sales tax of every
company other than the one it was installed in: those taxes are removed."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        """
        DELETE FROM product_taxes_rel rel
         USING product_template t
         WHERE rel.prod_id = t.id AND t.loyalty_topup
     RETURNING t.id
        """
    )
    templates = {row[0] for row in cr.fetchall()}
    if templates:
        _logger.info(
            "Customer taxes removed from %d wallet top-up product(s): %s",
            len(templates),
            sorted(templates),
        )
