from . import test_numbers
from . import test_providers
from . import test_purchase_sms
from . import test_retry
