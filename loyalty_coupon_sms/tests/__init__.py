from . import test_conversion_otp
from . import test_pos_tour
from . import test_i18n
