import { OrderReceipt } from "@point_of_sale/app/screens/receipt_screen/receipt/order_receipt";
import { formatFloat } from "@web/core/utils/numbers";
import { patch } from "@web/core/utils/patch";
import { formatLoyaltyAmount } from "@loyalty_wallet/app/utils/loyalty_amount";
import { formatPendingDate } from "@loyalty_wallet/app/utils/pending_credit";

patch(OrderReceipt.prototype, {
    loyaltyPoints(points) {
        return formatFloat(points || 0, { digits: [69, 2], trailingZeros: false });
    },

    /** A club figure in the company's display unit; the order's own totals stay in its currency. */
    loyaltyMoney(amount) {
        return formatLoyaltyAmount(amount, this.order.company, (value) => this.formatCurrency(value));
    },

    loyaltyDate(value) {
        return formatPendingDate(value);
    },

    /** The customer as the server sent it back with this order (club figures). */
    get loyaltyPartner() {
        const partner = this.order.getPartner?.() || this.order.partner_id;
        return partner?.loyalty_member ? partner : null;
    },
});
