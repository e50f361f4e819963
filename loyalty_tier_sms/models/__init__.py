from . import loyalty_sms_rule
from . import res_partner
