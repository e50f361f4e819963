from . import test_earning
from . import test_ledger
from . import test_expiry
from . import test_refund
from . import test_invoice
from . import test_security
from . import test_concurrency
from . import test_portal
