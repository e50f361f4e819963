from .date_format import JALALI_LANGS, format_loyalty_date
from .ledger_guard import (
    LEDGER_MERGE,
    LEDGER_OWNED_PARTNER_FIELDS,
    LEDGER_WRITE,
    ledger_token,
    with_ledger_token,
)
