# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Loyalty Tiers",
    "summary": "Customer tiers on top of the loyalty ledger: qualification, "
    "benefits, retention and downgrade",
    "version": "19.0.1.1.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/OCA/loyalty",
    "author": "Odoo Community Association (OCA), Loyalty Suite Contributors",
    "maintainers": ["loyalty-suite"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "depends": ["loyalty_wallet"],
    "data": [
        "security/loyalty_tier_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "wizards/loyalty_tier_assign_wizard_views.xml",
        "views/loyalty_tier_views.xml",
        "views/loyalty_tier_history_views.xml",
        "views/loyalty_tier_report_views.xml",
        "views/res_partner_views.xml",
        "views/pos_order_views.xml",
        "views/account_move_views.xml",
        "views/portal_templates.xml",
        "views/res_config_settings_views.xml",
        "views/loyalty_tier_menus.xml",
    ],
    "demo": [
        "demo/loyalty_tier_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "loyalty_tier/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "loyalty_tier/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
