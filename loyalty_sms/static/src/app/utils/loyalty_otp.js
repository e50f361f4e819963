import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";

/**
 * Ask the cashier for the code the customer received for ``challenge`` until
 * the server accepts it. Returns the server's proof, or null when the
 * cashier gives up. A refused code is shown; the server counts the attempts.
 */
export async function askLoyaltyCode(pos, partner, challenge) {
    for (;;) {
        const code = await makeAwaitable(pos.dialog, TextInputPopup, {
            title: _t("Confirmation code"),
            placeholder: _t("The code the customer received by SMS"),
        });
        if (!code) {
            return null;
        }
        const answer = await pos.data.call("res.partner", "loyalty_otp_verify", [
            [partner.id],
            challenge,
            code,
        ]);
        if (typeof answer === "string") {
            return answer;
        }
        await new Promise((resolve) =>
            pos.dialog.add(
                AlertDialog,
                { title: _t("Code refused"), body: answer.error },
                { onClose: resolve }
            )
        );
    }
}
