"""Catalogue tables: roles, SSO providers, plans (``billing.plan_rows``), payment providers."""

from __future__ import annotations

import json

from audifi.seed.billing import plan_rows
from audifi.seed.context import Run
from audifi.seed.ids import fake_ciphertext
from oltp.identity import AuthProvider

# fmt: off
ROLE_DESCRIPTIONS = {
    "viewer": ("Fan account: listen, follow, vote", ["read:masters", "vote:sessions"]),
    "artist": ("Creates masters, runs IPOs and V Studio sessions",
               ["write:masters", "launch:ipo", "host:sessions"]),
    "producer": ("Credited producer on masters", ["read:masters", "read:splits"]),
    "admin": ("Platform administrator", ["*"]),
}
AUTH_PROVIDERS = [p.value for p in AuthProvider]  # the enum, in declared order
PAYMENT_COLUMNS = ("provider_type", "name", "is_enabled", "is_default", "supported_currencies",
                   "supported_regions")
PAYMENT_PROVIDERS = [
    ("stripe", "Stripe", True, True, ["usd", "eur", "gbp"], ["US", "EU", "GB"]),
    ("crypto_eth", "Ethereum payments", True, False, ["eth", "usdc"], ["GLOBAL"]),
    ("crypto_sol", "Solana payments", False, False, ["sol", "usdc"], ["GLOBAL"]),
    ("paypal", "PayPal", False, False, ["usd", "eur"], ["US", "EU"]),
    ("apple_pay", "Apple Pay", True, False, ["usd"], ["US"]),
]
# fmt: on


def generate_reference(ctx: Run) -> None:
    secretless = ("magic_link", "wallet")
    catalogue = {
        "roles": [
            {"name": name, "description": desc, "permissions": json.dumps(perms)}
            for name, (desc, perms) in ROLE_DESCRIPTIONS.items()
        ],
        "identity_providers": [
            {
                "name": p.replace("_", " ").title(),
                "provider": p,
                "client_id": None if p in secretless else f"client-{p}",
                "client_secret": None if p in secretless else fake_ciphertext(ctx.seed, "idp", p),
                "enabled": p != "microsoft",
                "config_json": json.dumps({"scopes": ["openid", "email"]}),
            }
            for p in AUTH_PROVIDERS
        ],
        "payment_providers": [
            {
                **dict(zip(PAYMENT_COLUMNS, p, strict=True)),
                "webhook_endpoint": f"https://api.audifi.test/webhooks/{p[0]}",
                "webhook_secret": fake_ciphertext(ctx.seed, "whsec", p[0]),
                "config_json": fake_ciphertext(ctx.seed, "pp-config", p[0], size=48),
            }
            for p in PAYMENT_PROVIDERS
        ],
    }
    at = dict.fromkeys(("created_at", "updated_at"), ctx.start)  # every row: a new id, at the start
    for table, rows in catalogue.items():
        ctx.rows[table] = [{"id": ctx.ids.uuid(table), **r, **at} for r in rows]
    ctx.rows["subscription_plans"] = plans = plan_rows(ctx.ids, ctx.start)
    ctx.roles = {r["name"]: r["id"] for r in ctx.rows["roles"]}
    stripe = next(p["id"] for p in ctx.rows["payment_providers"] if p["provider_type"] == "stripe")
    ctx.dims["billing"] = stripe, {p["slug"]: p["id"] for p in plans}  # as ``write_billing`` takes
