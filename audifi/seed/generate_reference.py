"""Catalogue tables: roles, SSO providers, subscription plans, payment providers."""

from __future__ import annotations

import json

from audifi.seed.context import Ctx
from audifi.seed.ids import fake_ciphertext
from oltp.identity import AuthProvider

# The design's development seed has Free ($0) and Pro ($15 monthly, 14-day trial); the yearly
# Pro and the Label plan are this generator's additions.
PLANS = [
    # slug, name, price, interval, max_masters, max_ipos, sessions, trial_days, order
    ("free", "Free", "0.00", "monthly", 1, 1, 1, 0, 0),
    ("pro", "Pro", "15.00", "monthly", None, None, None, 14, 1),
    ("pro-yearly", "Pro (yearly)", "150.00", "yearly", None, None, None, 14, 2),
    ("label", "Label", "99.00", "monthly", None, None, None, 0, 3),
]
PLAN_FEATURES = {
    "free": dict.fromkeys(
        [
            "advancedAnalytics",
            "prioritySupport",
            "customBranding",
            "apiAccess",
            "whiteLabel",
            "earlyAccess",
        ],
        False,
    ),
    "pro": {
        "advancedAnalytics": True,
        "prioritySupport": True,
        "customBranding": True,
        "apiAccess": True,
        "whiteLabel": False,
        "earlyAccess": True,
    },
    "label": dict.fromkeys(
        [
            "advancedAnalytics",
            "prioritySupport",
            "customBranding",
            "apiAccess",
            "whiteLabel",
            "earlyAccess",
        ],
        True,
    ),
}
PLAN_FEATURES["pro-yearly"] = PLAN_FEATURES["pro"]

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

    plans = []
    for slug, name, price, interval, mm, mi, vs, trial, order in PLANS:
        plans.append(
            {
                "id": ctx.ids.uuid("subscription_plans"),
                "name": name,
                "slug": slug,
                "description": f"AudiFi {name} plan",
                "price_usd": price,
                "interval": interval,
                "stripe_price_id": None if slug == "free" else f"price_{slug.replace('-', '_')}",
                "stripe_product_id": None if slug == "free" else f"prod_{slug.split('-')[0]}",
                "max_masters": mm,
                "max_ipos_per_month": mi,
                "vstudio_sessions_included": vs,
                "features": PLAN_FEATURES[slug],
                "feature_list": [f"{name} feature {i + 1}" for i in range(5 + (slug != "free"))],
                "is_active": True,
                "is_public": slug != "label",
                "display_order": order,
                "trial_days": trial,
                "created_at": t0,
                "updated_at": t0,
            }
        )
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
