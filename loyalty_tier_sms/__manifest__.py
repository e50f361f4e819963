# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Loyalty Tiers SMS",
    "summary": "SMS glue between the tiers and the loyalty SMS: the tier_at_risk "
    "warning and the @progress placeholder",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/OCA/loyalty",
    "author": "Odoo Community Association (OCA), Loyalty Suite Contributors",
    "maintainers": ["loyalty-suite"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "depends": ["loyalty_tier", "loyalty_sms"],
    "data": [
        "data/sms_template_data.xml",
    ],
    "auto_install": True,
    "installable": True,
}
