"""What of the OLTP schema may reach the analytics replica: the one place that decides it.

The governance rules (``invariants.md`` §F1, and the spec's [PII] / [secret] markers) say
which columns must never reach analytics.  This module turns them into a per-table decision
that drives everything else:

* the publication on the primary (its tables and column lists),
* the replica's schema (the same Alembic migrations, run in replica mode, skip what is
  excluded here),
* the tests that prove nothing excluded exists on the replica.

A table missing from ``EXCLUDED_TABLES`` is published; every column not listed in
``EXCLUDED_COLUMNS`` for it is published.  Primary keys are never excluded: a column list
without the replica identity would break UPDATE and DELETE on the primary.
"""

from __future__ import annotations

from collections.abc import Iterable

# Restricted tables with nothing analytic in them: published not at all.
EXCLUDED_TABLES: dict[str, str] = {
    "identity_providers": "SSO configuration with a client secret; no analytic value",
    "payment_providers": "payment integration secrets and configuration",
    "payment_methods": "payment data (F1: everything in payment_methods)",
    "rate_limits": "operational state keyed by a PII identifier",
    "security_events": "restricted security log: IPs, wallets, investigation notes",
    "webhooks_log": "raw provider webhooks with client IPs; operational only",
}

# F1 "wallet linkage": an address in the same row as a user id links the two.  Chain
# mirrors (owners, holders, claimants) carry no user id and stay: they are public facts.
WALLET_NEXT_TO_USER = "PII-linkable: a wallet address in the same row as a user id"

# Columns dropped from published tables, with the rule behind each.
EXCLUDED_COLUMNS: dict[str, dict[str, str]] = {
    "users": {
        "email": "PII",
        "display_name": "PII",
        "bio": "PII (F1)",
        "avatar_url": "PII (F1)",
        "two_factor_secret": "secret",
    },
    "accounts": {
        "provider_account_id": "PII-linkable provider identifier",
        "access_token": "secret",
        "refresh_token": "secret",
        "provider_metadata": "F1: dropped with the tokens",
    },
    "user_wallets": {
        "wallet_address": "PII-linkable: a wallet next to a user is personal data",
        "label": "user-chosen free text",
    },
    "audit_logs": {
        "actor_identifier": "PII (may be an e-mail)",
        "ip_address": "PII",
        "user_agent": "PII",
        "previous_state": "JSON that may hold PII",
        "new_state": "JSON that may hold PII",
        "metadata": "JSON that may hold an e-mail",
        "target_identifier": "human-readable target, may be a person",
    },
    "vstudio_votes": {
        "client_ip_hash": "PII-derived",
        "user_agent": "PII",
        "text_response": "free text (F1)",
        "wallet_address": WALLET_NEXT_TO_USER,
    },
    "vstudio_participants": {"wallet_address": WALLET_NEXT_TO_USER},
    "vstudio_engagement_events": {"wallet_address": WALLET_NEXT_TO_USER},
    "vstudio_chat_messages": {"message": "free text (F1)"},
    "subscriptions": {
        "stripe_subscription_id": "payment data (F1)",
        "stripe_customer_id": "payment data (F1)",
        "default_payment_method_id": "payment data (F1)",
        "metadata": "free-form payment-provider data",
    },
    "invoices": {
        "invoice_number": "payment data (F1)",
        "stripe_invoice_id": "payment data (F1)",
        "stripe_payment_intent_id": "payment data (F1)",
        "hosted_invoice_url": "payment data (F1)",
        "invoice_pdf_url": "payment data (F1)",
        "line_items": "payment data (F1)",
        "metadata": "free-form payment-provider data",
    },
}

# Confidential financial data (F1): replicated, but readable on the replica only by the finance
# role and dbt; its marts go to `marts_finance`.  Analysts get "permission denied".
CONFIDENTIAL_TABLES: dict[str, str] = {
    "revenue_events": "confidential financial data (F1: revenue)",
    "invoices": "confidential financial data (F1: invoices)",
    "subscriptions": "confidential financial data (F1: subscriptions)",
}
# The IPO split configuration (F1): the rest of master_ipos is public.
CONFIDENTIAL_COLUMNS: dict[str, dict[str, str]] = {
    "master_ipos": {
        "revenue_share_nft_holders_bps": "IPO split configuration (F1)",
        "retained_artist_bps": "IPO split configuration (F1)",
        "retained_platform_bps": "IPO split configuration (F1)",
    },
}

PUBLICATION = "audifi_analytics"
SUBSCRIPTION = "audifi_analytics"


def is_published(table: str) -> bool:
    return table not in EXCLUDED_TABLES


def is_column_published(table: str, column: str) -> bool:
    return is_published(table) and column not in EXCLUDED_COLUMNS.get(table, {})


def published_columns(table: str, columns: Iterable[str]) -> list[str]:
    return [c for c in columns if is_column_published(table, c)]


def excluded_pairs() -> list[tuple[str, str]]:
    """Every (table, column) that must not exist on the replica, excluded tables aside."""
    return [(t, c) for t, cols in EXCLUDED_COLUMNS.items() for c in cols]
