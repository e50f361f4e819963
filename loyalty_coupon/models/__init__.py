from . import loyalty_card
from . import loyalty_booking
from . import pos_order_line
from . import res_company
from . import res_config_settings
from . import res_partner
from . import loyalty_transaction
