from . import loyalty_tier
from . import loyalty_tier_history
from . import res_company
from . import res_partner
from . import pos_order
from . import account_move
from . import pos_session
from . import res_config_settings
