# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

KINDS = [("up", "Upgrade"), ("down", "Downgrade"), ("manual", "Manual")]
CAUSES = [
    ("qualified", "Qualified"),
    ("lapsed", "Retention missed"),
    ("returned", "Goods returned"),
    ("config", "Tier configuration"),
    ("manual", "Set by a manager"),
]
DEFAULT_CAUSE = {"up": "qualified", "down": "lapsed", "manual": "manual"}


class LoyaltyTierHistory(models.Model):
    """One change of a customer's tier: when, from which tier to which, why,
    and the document that caused it. Written by the tier engine only."""

    _name = "loyalty.tier.history"
    _description = "Loyalty Tier Change"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade", readonly=True
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    old_tier_id = fields.Many2one(
        "loyalty.tier", string="From Tier", ondelete="restrict", readonly=True
    )
    new_tier_id = fields.Many2one(
        "loyalty.tier", string="To Tier", index=True, ondelete="restrict", readonly=True
    )
    kind = fields.Selection(KINDS, required=True, readonly=True)
    cause = fields.Selection(
        CAUSES,
        readonly=True,
        index=True,
        help="Why the tier changed, for the reports; a lapse also restarts "
        "the counting: a tier is regained only by meeting its rules again.",
    )
    reason = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Changed By",
        ondelete="set null",
        readonly=True,
        help="The manager who changed the tier by hand.",
    )
    source_model = fields.Char(readonly=True)
    source_id = fields.Many2oneReference(
        string="Source Record ID", model_field="source_model", readonly=True
    )
    source_name = fields.Char(
        string="Document", readonly=True, help="The document that caused the change."
    )

    _partner_company_date_idx = models.Index("(partner_id, company_id, date)")

    def action_open_source(self):
        self.ensure_one()
        if not self.source_model or not self.source_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.source_model,
            "res_id": self.source_id,
            "view_mode": "form",
        }

    @api.model
    def _loyalty_record(self, company, changes, source=None, date=None):
        """Insert one line per change (see ``res.partner._loyalty_tier_change``)
        in a single statement: a review batch writes thousands at once."""
        now = fields.Datetime.now()
        self.env.execute_query(
            SQL(
                """
                INSERT INTO loyalty_tier_history (
                    partner_id, company_id, date, old_tier_id, new_tier_id, kind,
                    cause, reason, user_id, source_model, source_id, source_name,
                    create_uid, create_date, write_uid, write_date)
                SELECT c.partner_id, %(company)s, %(date)s, c.old_tier_id,
                       c.new_tier_id, c.kind, c.cause, c.reason,
                       CASE WHEN c.kind = 'manual' THEN %(uid)s END,
                       %(source_model)s, %(source_id)s, %(source_name)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(partner_ids)s::int[], %(old_ids)s::int[],
                              %(new_ids)s::int[], %(kinds)s::varchar[],
                              %(causes)s::varchar[], %(reasons)s::varchar[])
                       AS c(partner_id, old_tier_id, new_tier_id, kind, cause,
                            reason)
                """,
                company=company.id,
                date=date or now,
                uid=self.env.uid,
                source_model=source._name if source else None,
                source_id=source.id if source else None,
                source_name=source.display_name if source else None,
                now=now,
                partner_ids=[c["partner_id"] for c in changes],
                old_ids=[c["old_tier_id"] or None for c in changes],
                new_ids=[c["new_tier_id"] or None for c in changes],
                kinds=[c["kind"] for c in changes],
                causes=[c.get("cause") or DEFAULT_CAUSE[c["kind"]] for c in changes],
                reasons=[c["reason"] for c in changes],
            )
        )
