import { ProductCard } from "@point_of_sale/app/components/product_card/product_card";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";
import { patch } from "@web/core/utils/patch";

patch(ProductCard.prototype, {
    setup() {
        super.setup(...arguments);
        this.pos = usePos();
    },

    /** "500 pts" on the card when the till takes points (else ""). */
    get loyaltyPointsPrice() {
        const points = this.pos.loyaltyPointsPrice(this.props.product);
        return points ? this.pos.loyaltyFormatPoints(points) : "";
    },
});
