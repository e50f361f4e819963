from . import test_broadcast
from . import test_delivery_report
from . import test_greetings
from . import test_numbers
from . import test_providers
from . import test_purchase_sms
from . import test_retry
from . import test_security
