from . import test_offers
from . import test_qualification
from . import test_reports
from . import test_retention
from . import test_tier_pos_tour
from . import test_tier_validation
from . import test_i18n
from . import test_roles
