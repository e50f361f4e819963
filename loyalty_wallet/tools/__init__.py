from .amount_format import RIALS_PER_TOMAN, format_loyalty_amount, loyalty_amount_unit
from .date_format import JALALI_LANGS, format_loyalty_date
from .ledger_guard import (
    LEDGER_MERGE,
    LEDGER_OWNED_PARTNER_FIELDS,
    LEDGER_WRITE,
    ledger_token,
    with_ledger_token,
)
