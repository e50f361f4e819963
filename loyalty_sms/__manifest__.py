# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Loyalty SMS",
    "summary": "SMS gateways, event templates and broadcasts for the loyalty suite",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/OCA/loyalty",
    "author": "Odoo Community Association (OCA), Loyalty Suite Contributors",
    "maintainers": ["loyalty-suite"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "depends": ["loyalty_wallet", "sms", "phone_validation"],
    "external_dependencies": {
        "python": ["phonenumbers", "jdatetime", "requests"],
    },
    "installable": True,
}
