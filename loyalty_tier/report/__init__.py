from . import loyalty_tier_sales_report
from . import loyalty_tier_member_report
