import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { askLoyaltyCode } from "@loyalty_sms/app/utils/loyalty_otp";
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
        // Validation checks the order more than once (pos_loyalty calls
        // isOrderValid before the core does): one code per payment.
        const confirmed = order.uiState.loyaltyOtpConfirmed;
        if (
            order.loyalty_otp_proof &&
            confirmed?.partnerId === partner.id &&
            confirmed.amount === amount
        ) {
            return true;
        }
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
        const proof = await askLoyaltyCode(this.pos, partner, challenge);
        if (!proof) {
            return false;
        }
        order.loyalty_otp_proof = proof;
        order.uiState.loyaltyOtpConfirmed = { partnerId: partner.id, amount };
        return true;
    },
});
