# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.loyalty_tier import POS_SOLD_STATES


class LoyaltyTierSalesReport(models.Model):
    """Purchases (paid POS orders, customer invoices and credit notes not
    coming from the POS) by the customer's tier at the time of sale."""

    _name = "loyalty.tier.sales.report"
    _description = "Purchases by Tier"
    _auto = False
    _order = "date desc"
    _rec_name = "name"

    name = fields.Char(string="Document", readonly=True)
    date = fields.Date(readonly=True)
    origin = fields.Selection(
        [("pos", "Point of Sale"), ("invoice", "Invoice")], readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    tier_id = fields.Many2one("loyalty.tier", readonly=True)
    amount = fields.Monetary(
        string="Revenue", readonly=True, help="Total of the purchases minus refunds."
    )
    order_count = fields.Integer(
        string="Orders", readonly=True, help="Purchases, refunds not counted."
    )
    average_basket = fields.Monetary(
        aggregator="avg",
        readonly=True,
        help="Average total of a purchase (refunds not counted).",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT o.id * 2 AS id, o.name, o.date_order::date AS date,
                   'pos' AS origin, o.company_id, c.currency_id,
                   p.commercial_partner_id AS partner_id,
                   o.loyalty_tier_id AS tier_id, o.amount_total AS amount,
                   CASE WHEN o.amount_total > 0 THEN 1 ELSE 0 END AS order_count,
                   CASE WHEN o.amount_total > 0 THEN o.amount_total END
                       AS average_basket
              FROM pos_order o
              JOIN res_company c ON c.id = o.company_id
              LEFT JOIN res_partner p ON p.id = o.partner_id
             WHERE o.state IN %(states)s
            UNION ALL
            SELECT m.id * 2 + 1, m.name, COALESCE(m.invoice_date, m.date),
                   'invoice', m.company_id, c.currency_id,
                   m.commercial_partner_id, m.loyalty_tier_id,
                   m.amount_total_signed,
                   CASE WHEN m.move_type = 'out_invoice' THEN 1 ELSE 0 END,
                   CASE WHEN m.move_type = 'out_invoice'
                        THEN m.amount_total_signed END
              FROM account_move m
              JOIN res_company c ON c.id = m.company_id
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND NOT EXISTS (SELECT 1 FROM pos_order po WHERE po.account_move = m.id)
            """,
            states=POS_SOLD_STATES,
        )
