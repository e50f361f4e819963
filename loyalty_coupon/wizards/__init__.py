from . import loyalty_coupon_convert_wizard
