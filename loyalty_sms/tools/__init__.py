from . import sms_api
from . import sms_providers
