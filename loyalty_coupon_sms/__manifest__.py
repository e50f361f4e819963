# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Loyalty Coupons - SMS Confirmation",
    "summary": "The customer confirms a points-to-coupon conversion at the till "
    "with a code sent by SMS",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/OCA/loyalty",
    "author": "Odoo Community Association (OCA), Loyalty Suite Contributors",
    "maintainers": ["loyalty-suite"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "depends": ["loyalty_coupon", "loyalty_sms"],
    "assets": {
        "point_of_sale._assets_pos": [
            "loyalty_coupon_sms/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "loyalty_coupon_sms/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
