# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Loyalty SMS",
    "summary": "SMS gateways, event templates and broadcasts for the loyalty suite",
    "version": "19.0.1.1.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/OCA/loyalty",
    "author": "Odoo Community Association (OCA), Loyalty Suite Contributors",
    "maintainers": ["loyalty-suite"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "depends": ["loyalty_wallet", "sms", "phone_validation"],
    "external_dependencies": {
        "python": ["phonenumbers", "requests"],
    },
    "data": [
        "security/loyalty_sms_security.xml",
        "security/ir.model.access.csv",
        "data/sms_template_data.xml",
        "data/loyalty_sms_rule_data.xml",
        "data/ir_cron_data.xml",
        "views/loyalty_sms_gateway_views.xml",
        "views/loyalty_sms_rule_views.xml",
        "views/sms_sms_views.xml",
        "wizards/loyalty_sms_broadcast_views.xml",
        "views/res_config_settings_views.xml",
        "views/loyalty_sms_menus.xml",
    ],
    "demo": [
        "demo/loyalty_sms_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "loyalty_sms/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "loyalty_sms/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
