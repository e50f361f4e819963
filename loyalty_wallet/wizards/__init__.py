from . import loyalty_adjust_wizard
from . import base_partner_merge_automatic_wizard
from . import loyalty_reconciliation
