from . import loyalty_sms_broadcast
from . import sms_composer
