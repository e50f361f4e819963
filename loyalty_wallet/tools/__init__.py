from .date_format import JALALI_LANGS, format_loyalty_date
