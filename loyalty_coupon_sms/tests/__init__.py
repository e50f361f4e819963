from . import test_conversion_otp
from . import test_pos_tour
