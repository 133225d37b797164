"""Catalogue tables: roles, SSO providers, subscription plans (``billing.plan_rows``), payment
providers."""

from __future__ import annotations

import json

from audifi.seed.billing import plan_rows
from audifi.seed.context import Ctx
from audifi.seed.ids import fake_ciphertext
from oltp.identity import AuthProvider

ROLE_DESCRIPTIONS = {
    "viewer": ("Fan account: listen, follow, vote", ["read:masters", "vote:sessions"]),
    "artist": (
        "Creates masters, runs IPOs and V Studio sessions",
        ["write:masters", "launch:ipo", "host:sessions"],
    ),
    "producer": ("Credited producer on masters", ["read:masters", "read:splits"]),
    "admin": ("Platform administrator", ["*"]),
}
AUTH_PROVIDERS = [p.value for p in AuthProvider]  # the enum, in declared order
PAYMENT_PROVIDERS = [
    ("stripe", "Stripe", True, True, ["usd", "eur", "gbp"], ["US", "EU", "GB"]),
    ("crypto_eth", "Ethereum payments", True, False, ["eth", "usdc"], ["GLOBAL"]),
    ("crypto_sol", "Solana payments", False, False, ["sol", "usdc"], ["GLOBAL"]),
    ("paypal", "PayPal", False, False, ["usd", "eur"], ["US", "EU"]),
    ("apple_pay", "Apple Pay", True, False, ["usd"], ["US"]),
]


def _catalogue(ctx: Ctx, table: str, rows: list[dict]) -> list[dict]:
    """``table``'s rows, each with a new id, created and last updated when the history starts."""
    t0 = ctx.start
    ctx.rows[table] = [
        {"id": ctx.ids.uuid(table), **r, "created_at": t0, "updated_at": t0} for r in rows
    ]
    return ctx.rows[table]


def generate_reference(ctx: Ctx) -> None:
    roles = [
        {"name": name, "description": desc, "permissions": json.dumps(perms)}
        for name, (desc, perms) in ROLE_DESCRIPTIONS.items()
    ]
    ctx.dims["role_id"] = {r["name"]: r["id"] for r in _catalogue(ctx, "roles", roles)}

    secretless = ("magic_link", "wallet")
    idps = [
        {
            "name": p.replace("_", " ").title(),
            "provider": p,
            "client_id": None if p in secretless else f"client-{p}",
            "client_secret": None if p in secretless else fake_ciphertext(ctx.seed, "idp", p),
            "enabled": p != "microsoft",
            "config_json": json.dumps({"scopes": ["openid", "email"]}),
        }
        for p in AUTH_PROVIDERS
    ]
    _catalogue(ctx, "identity_providers", idps)

    ctx.rows["subscription_plans"] = ctx.dims["plans"] = plan_rows(ctx.ids, ctx.start)

    providers = [
        {
            "name": name,
            "provider_type": ptype,
            "is_enabled": enabled,
            "is_default": default,
            "supported_currencies": cur,
            "supported_regions": reg,
            "webhook_endpoint": f"https://api.audifi.test/webhooks/{ptype}",
            "webhook_secret": fake_ciphertext(ctx.seed, "whsec", ptype),
            "config_json": fake_ciphertext(ctx.seed, "pp-config", ptype, size=48),
        }
        for ptype, name, enabled, default, cur, reg in PAYMENT_PROVIDERS
    ]
    ctx.dims["stripe_provider_id"] = _catalogue(ctx, "payment_providers", providers)[0]["id"]
