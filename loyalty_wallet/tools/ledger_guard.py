# Copyright 2026 Loyalty Suite Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The private key with which the ledger lets itself through the write
guards of partners and ledger rows.

A context value arrives over RPC as JSON, so it can be a string, a number or a
boolean but never this very object: a caller can copy the key's name into its
context, not the token. Only code that imports the token (the ledger) passes.
"""

LEDGER_CONTEXT_KEY = "loyalty_ledger_token"


class _LedgerToken:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<loyalty ledger token {self.name}>"


# The ledger writes what it owns (membership, balances, ledger rows).
LEDGER_WRITE = _LedgerToken("write")
# Odoo's contact merge copies every field: the ledger fields are dropped from
# its copy and rebuilt from the ledger afterwards.
LEDGER_MERGE = _LedgerToken("merge")

# Fields of res.partner that only the ledger may write.
LEDGER_OWNED_PARTNER_FIELDS = frozenset(
    {
        "loyalty_wallet_balance",
        "loyalty_points",
        "loyalty_member",
        "loyalty_enrolled_on",
    }
)


def ledger_token(env):
    """The token in ``env``'s context, or None."""
    token = env.context.get(LEDGER_CONTEXT_KEY)
    return token if isinstance(token, _LedgerToken) else None


def with_ledger_token(records, token=LEDGER_WRITE):
    return records.with_context(**{LEDGER_CONTEXT_KEY: token})
