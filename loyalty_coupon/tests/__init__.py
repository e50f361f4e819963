from . import test_conversion
from . import test_books
from . import test_concurrency
from . import test_reminder
from . import test_portal
from . import test_pos_tour
from . import test_i18n
from . import test_roles
