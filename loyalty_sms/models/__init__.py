from . import loyalty_sms_gateway
from . import loyalty_sms_rule
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sms_sms
from . import sms_template
