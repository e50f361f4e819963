from . import loyalty_tier_assign_wizard
