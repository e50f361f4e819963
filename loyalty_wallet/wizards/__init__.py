from . import loyalty_adjust_wizard
