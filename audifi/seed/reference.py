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


def generate_reference(ctx: Ctx) -> None:
    t0 = ctx.start
    roles = []
    for name, (desc, perms) in ROLE_DESCRIPTIONS.items():
        roles.append(
            {
                "id": ctx.ids.uuid("roles"),
                "name": name,
                "description": desc,
                "permissions": json.dumps(perms),
                "created_at": t0,
                "updated_at": t0,
            }
        )
    ctx.rows["roles"] = roles
    ctx.dims["role_id"] = {r["name"]: r["id"] for r in roles}

    ctx.rows["identity_providers"] = [
        {
            "id": ctx.ids.uuid("identity_providers"),
            "name": p.replace("_", " ").title(),
            "provider": p,
            "client_id": None if p in ("magic_link", "wallet") else f"client-{p}",
            "client_secret": None
            if p in ("magic_link", "wallet")
            else fake_ciphertext(ctx.seed, "idp", p),
            "enabled": p != "microsoft",
            "config_json": json.dumps({"scopes": ["openid", "email"]}),
            "created_at": t0,
            "updated_at": t0,
        }
        for p in AUTH_PROVIDERS
    ]

    plans = plan_rows(ctx.ids, t0)
    ctx.rows["subscription_plans"] = plans
    ctx.dims["plans"] = plans

    ctx.rows["payment_providers"] = [
        {
            "id": ctx.ids.uuid("payment_providers"),
            "name": name,
            "provider_type": ptype,
            "is_enabled": enabled,
            "is_default": default,
            "supported_currencies": cur,
            "supported_regions": reg,
            "webhook_endpoint": f"https://api.audifi.test/webhooks/{ptype}",
            "webhook_secret": fake_ciphertext(ctx.seed, "whsec", ptype),
            "config_json": fake_ciphertext(ctx.seed, "pp-config", ptype, size=48),
            "created_at": t0,
            "updated_at": t0,
        }
        for ptype, name, enabled, default, cur, reg in PAYMENT_PROVIDERS
    ]
    ctx.dims["stripe_provider_id"] = ctx.rows["payment_providers"][0]["id"]
