# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import SQL


class PosSession(models.Model):
    _inherit = "pos.session"

    def _create_account_move(
        self,
        balancing_account=False,
        amount_to_balance=0,
        bank_payment_method_diffs=None,
    ):
        data = super()._create_account_move(
            balancing_account=balancing_account,
            amount_to_balance=amount_to_balance,
            bank_payment_method_diffs=bank_payment_method_diffs,
        )
        self._loyalty_create_granted_lines(data)
        return data

    def _loyalty_create_granted_lines(self, data):
        """Book what the session's orders granted (cashback, and points at
        their value; refunds net out what they took back) on the session's
        journal entry: debit the cashback expense, credit the wallet liability.
        Nothing is booked while either account is not configured."""
        company = self.company_id
        liability = company.loyalty_wallet_account_id
        expense = company.loyalty_cashback_expense_account_id
        if not (liability and expense):
            return
        amount = company.currency_id.round(self._loyalty_granted_value())
        if company.currency_id.is_zero(amount):
            return
        name = self.env._("Loyalty credit granted in %s", self.name)
        partial = {"name": name, "move_id": self.move_id.id}
        data["MoveLine"].create(
            [
                self._debit_amounts(
                    {**partial, "account_id": expense.id},
                    amount,
                    amount,
                    force_company_currency=True,
                ),
                self._credit_amounts(
                    {**partial, "account_id": liability.id},
                    amount,
                    amount,
                    force_company_currency=True,
                ),
            ]
        )

    def _loyalty_granted_value(self):
        """Company-currency value of the credit and points that the session's
        orders earned, less what its refunds reversed of such earnings."""
        self.ensure_one()
        self.env["loyalty.transaction"].flush_model()
        [(wallet, points)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(t.amount) FILTER (WHERE t.kind = 'wallet'), 0),
                       COALESCE(SUM(t.amount) FILTER (WHERE t.kind = 'points'), 0)
                  FROM loyalty_transaction t
             LEFT JOIN loyalty_transaction o ON o.id = t.origin_id
                 WHERE t.source_model = 'pos.order'
                   AND t.source_id IN %(orders)s
                   AND t.company_id = %(company)s
                   AND t.operation IN ('earn', 'reverse')
                   AND COALESCE(o.operation, t.operation) = 'earn'
                """,
                orders=tuple(self.order_ids.ids) or (0,),
                company=self.company_id.id,
            )
        )
        return wallet + points * self.company_id.loyalty_point_value
