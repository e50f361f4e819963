# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Loyalty Wallet",
    "summary": "Customer club: wallet credit, cashback and points on a ledger, "
    "with FIFO expiry, POS payment and a portal log",
    "version": "19.0.1.5.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/OCA/loyalty",
    "author": "Odoo Community Association (OCA), Loyalty Suite Contributors",
    "maintainers": ["loyalty-suite"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "application": True,
    "depends": ["point_of_sale", "account", "portal"],
    "external_dependencies": {
        "python": ["jdatetime"],
    },
    "data": [
        "security/loyalty_wallet_security.xml",
        "security/ir.model.access.csv",
        "data/decimal_precision_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "data/product_data.xml",
        "report/loyalty_card_report.xml",
        "wizards/loyalty_adjust_wizard_views.xml",
        "views/loyalty_transaction_views.xml",
        "views/loyalty_campaign_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/pos_payment_method_views.xml",
        "views/pos_order_views.xml",
        "views/product_template_views.xml",
        "views/loyalty_booking_views.xml",
        "views/loyalty_overview_views.xml",
        "views/loyalty_menus.xml",
        "views/portal_templates.xml",
        "views/res_config_settings_accounting_views.xml",
    ],
    "demo": [
        "demo/loyalty_wallet_demo.xml",
        "demo/pos_payment_method_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "loyalty_wallet/static/src/app/**/*",
        ],
        "web.assets_backend": [
            "loyalty_wallet/static/src/backend/**/*",
            "loyalty_wallet/static/src/overview/**/*",
        ],
        "web.assets_tests": [
            "loyalty_wallet/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
