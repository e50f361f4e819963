from . import loyalty_sms_rule
