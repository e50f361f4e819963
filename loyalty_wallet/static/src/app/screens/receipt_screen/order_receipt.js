import { OrderReceipt } from "@point_of_sale/app/screens/receipt_screen/receipt/order_receipt";
import { formatFloat } from "@web/core/utils/numbers";
import { patch } from "@web/core/utils/patch";

patch(OrderReceipt.prototype, {
    loyaltyPoints(points) {
        return formatFloat(points || 0, { digits: [69, 2], trailingZeros: false });
    },
});
