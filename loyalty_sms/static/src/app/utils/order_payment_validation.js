import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";
import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError } from "@web/core/network/rpc";
import { patch } from "@web/core/utils/patch";

patch(OrderPaymentValidation.prototype, {
    async isOrderValid(isForceValidate) {
        if (!(await super.isOrderValid(...arguments))) {
            return false;
        }
        return await this.loyaltyConfirmWithCode();
    },

    /**
     * Above the company's threshold, the customer confirms a payment from
     * the wallet or with points with the code the server texts them; the
     * order carries the server's proof. Offline, the order goes without it:
     * the server accepts it and flags it for managers.
     */
    async loyaltyConfirmWithCode() {
        const order = this.order;
        const threshold = this.pos.company.loyalty_otp_threshold || 0;
        const amount = order.currency.round(
            order.loyaltyPaidMoney("wallet") + order.loyaltyPaidMoney("points")
        );
        if (!threshold || order.isRefund || amount <= threshold) {
            return true;
        }
        const partner = order.getPartner();
        let challenge;
        try {
            ({ challenge } = await this.pos.data.call("res.partner", "loyalty_otp_request", [
                [partner.id],
                this.pos.config.id,
                amount,
            ]));
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                return true;
            }
            throw error;
        }
        for (;;) {
            const code = await makeAwaitable(this.pos.dialog, TextInputPopup, {
                title: _t("Confirmation code"),
                placeholder: _t("The code the customer received by SMS"),
            });
            if (!code) {
                return false;
            }
            const answer = await this.pos.data.call("res.partner", "loyalty_otp_verify", [
                [partner.id],
                challenge,
                code,
            ]);
            if (typeof answer === "string") {
                order.loyalty_otp_proof = answer;
                return true;
            }
            await new Promise((resolve) =>
                this.pos.dialog.add(
                    AlertDialog,
                    { title: _t("Code refused"), body: answer.error },
                    { onClose: resolve }
                )
            );
        }
    },
});
