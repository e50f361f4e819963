from . import loyalty_sms_broadcast
