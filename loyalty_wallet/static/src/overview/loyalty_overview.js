/** @odoo-module **/
// Copyright 2026 Loyalty Suite Contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {formatFloat} from "@web/core/utils/numbers";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

export class LoyaltyOverview extends Component {
    static template = "loyalty_wallet.LoyaltyOverview";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({data: null});
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call(
            "loyalty.overview",
            "get_loyalty_overview",
            []
        );
    }

    money(amount) {
        const {symbol, position, digits} = this.state.data.currency;
        const value = formatFloat(amount, {digits: [false, digits]});
        return position === "before" ? `${symbol} ${value}` : `${value} ${symbol}`;
    }

    number(amount) {
        return formatFloat(amount, {digits: [false, 0]});
    }

    get trendMax() {
        const values = this.state.data.months.flatMap((month) => [
            month.wallet_earned,
            month.wallet_spent,
            month.wallet_expired,
        ]);
        return Math.max(1, ...values);
    }

    barHeight(value) {
        return `${Math.round((100 * value) / this.trendMax)}%`;
    }

    open(resModel, domain, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: resModel,
            domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
        });
    }

    openLedger(domain, name) {
        this.open("loyalty.transaction", domain, name || _t("Ledger"));
    }

    openMembers(domain, name) {
        this.open("res.partner", domain, name || _t("Members"));
    }

    openMember(partnerId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: partnerId,
            views: [[false, "form"]],
        });
    }

    openMonth(month, operations) {
        this.openLedger(
            [...month.domain, ["operation", "in", operations]],
            `${_t("Ledger")} ${month.label}`
        );
    }
}

registry.category("actions").add("loyalty_wallet.overview", LoyaltyOverview);
