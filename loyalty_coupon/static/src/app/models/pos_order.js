import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /**
     * The points of Odoo's own loyalty programs are named after their program
     * ("Loyalty Program: Loyalty Points"), so that the till and the receipt
     * never show them as a second, unexplained count beside the customer
     * club's points.
     */
    getLoyaltyPoints() {
        return super.getLoyaltyPoints(...arguments).map((stat) => {
            stat.points.name = loyaltyNativeProgramLabel(stat.program, stat.points.name);
            return stat;
        });
    },
});

/** "<program>: <unit>" unless the unit already is the program's name. */
export function loyaltyNativeProgramLabel(program, unit) {
    if (!program?.name || program.name === unit) {
        return unit;
    }
    return _t("%(program)s: %(unit)s", { program: program.name, unit });
}
