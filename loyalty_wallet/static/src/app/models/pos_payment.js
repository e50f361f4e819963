import { PosPayment } from "@point_of_sale/app/models/pos_payment";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { patch } from "@web/core/utils/patch";

patch(PosPayment.prototype, {
    /**
     * "300 pts" for a payment with points (its amount is their money worth at
     * the company's point value), so that the cashier and the receipt read
     * points as points; "" for any other payment.
     */
    get loyaltyPointsLabel() {
        const pointValue = this.pos_order_id?.company?.loyalty_point_value;
        if (this.payment_method_id?.loyalty_payment !== "points" || !pointValue) {
            return "";
        }
        const points = formatFloat(this.getAmount() / pointValue, {
            digits: [69, 2],
            trailingZeros: false,
        });
        return _t("%s pts", points);
    },
});
