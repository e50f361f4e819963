from . import test_tier_sms
from . import test_i18n
