from . import test_tier_sms
