# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Loyalty Coupons",
    "summary": "Convert loyalty points into native coupons redeemable in the POS",
    "version": "19.0.1.1.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/OCA/loyalty",
    "author": "Odoo Community Association (OCA), Loyalty Suite Contributors",
    "maintainers": ["loyalty-suite"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "depends": ["loyalty_wallet", "pos_loyalty"],
    "data": [
        "security/loyalty_coupon_security.xml",
        "security/ir.model.access.csv",
        "data/product_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "wizards/loyalty_coupon_convert_wizard_views.xml",
        "views/loyalty_card_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/loyalty_program_demo.xml",
        "demo/loyalty_coupon_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "loyalty_coupon/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "loyalty_coupon/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
