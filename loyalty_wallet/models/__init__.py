from . import res_company
from . import res_config_settings
from . import loyalty_campaign
from . import loyalty_transaction
from . import res_partner
from . import pos_payment_method
from . import pos_order
from . import account_move
