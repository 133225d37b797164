"""Users (sign-ups over time, churn, soft deletes), login accounts, roles and wallets.

``append_growth`` builds new sign-ups with ``user_row``, ``account_row``, ``wallet_row`` and
``role_row``; ``load_users`` reads the users back for appended days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import psycopg

from audifi.errors import AudifiError
from audifi.seed.append_state import NOT_OURS, Window
from audifi.seed.context import COUNTRIES, Ctx, user_countries
from audifi.seed.copy_loader import RowBuffer
from audifi.seed.ids import fake_ciphertext, solana_address
from audifi.seed.timeline import CHAINS, DAY

FIRST = [
    "Ava",
    "Leo",
    "Mia",
    "Noah",
    "Zoe",
    "Kai",
    "Ivy",
    "Eli",
    "Nia",
    "Omar",
    "Sara",
    "Yuki",
    "Lina",
    "Theo",
    "Rosa",
    "Ade",
    "Jin",
    "Maya",
    "Luca",
    "Ines",
]
LAST = [
    "Stone",
    "Rivera",
    "Okafor",
    "Tanaka",
    "Berg",
    "Silva",
    "Novak",
    "Haddad",
    "Kim",
    "Moreau",
    "Costa",
    "Singh",
    "Walker",
    "Lopez",
    "Ibrahim",
    "Fischer",
]
# Users are numbered in sign-up order (the number is in their e-mail and display name); the
# first N_ADMINS are the platform's admins.  Which admin acts, on both paths: PLATFORM_ADMIN
# assigns roles, verifies revenue and moderates chat; SECURITY_ADMIN investigates security
# events.
N_ADMINS = 3
PLATFORM_ADMIN = 0
SECURITY_ADMIN = 1


def is_admin(i: int) -> bool:
    """Whether user number ``i`` is one of the platform's admins."""
    return i < N_ADMINS


def user_email(i: int) -> str:
    return f"admin{i}@audifi.test" if is_admin(i) else f"user{i}@example.test"


def user_number(email: str) -> int:
    """The number of the user with this e-mail (the inverse of ``user_email``): how appended
    days tell the admins and each user's keyed values apart in the stored users."""
    return int(email.partition("@")[0].removeprefix("admin").removeprefix("user"))


def is_admin_email(email: str) -> bool:
    return is_admin(user_number(email))


def generate_identity(ctx: Ctx) -> None:
    rng, sc = ctx.rng, ctx.scale
    n = sc.users
    span = ctx.end - ctx.start
    # Sign-ups accelerate over time (u**0.8 skews late); the admins exist from day one.
    created = ctx.start + (rng.random(n) ** 0.8 * (span - 2 * DAY)).astype(np.int64)
    created[:N_ADMINS] = ctx.start
    created.sort()
    status = rng.choice(
        np.array(["active", "suspended", "pending_verification", "deleted"]),
        size=n,
        p=[0.88, 0.02, 0.05, 0.05],
    )
    status[:N_ADMINS] = "active"
    # churn: 35 % of users stop being active some time after signing up
    churn = np.full(n, ctx.end, dtype=np.int64)
    churners = rng.random(n) < 0.35
    churn_after = (rng.exponential(60, n) * DAY).astype(np.int64) + DAY
    churn[churners] = np.minimum(ctx.end, created[churners] + churn_after[churners])
    deleted = status == "deleted"
    deleted_at = np.where(deleted, np.minimum(ctx.end - 60, created + churn_after), 0)
    churn[deleted] = np.minimum(churn[deleted], deleted_at[deleted])
    churn[:N_ADMINS] = ctx.end
    ids = ctx.ids.uuids("users", n)
    country = user_countries(ctx.seed, ids)
    two_fa = rng.random(n) < 0.15
    last_login = np.minimum(churn, ctx.end) - (rng.exponential(2, n) * DAY).astype(np.int64)
    last_login = np.maximum(last_login, created)

    # Users who become artists / producers: early sign-ups that were not deleted.
    candidates = np.flatnonzero(
        (~deleted) & (np.arange(n) >= N_ADMINS) & (created < ctx.start + 0.7 * span)
    )
    chosen = rng.choice(candidates, size=sc.artists + sc.producers, replace=False)
    artist_users = np.sort(chosen[: sc.artists])
    producer_users = np.sort(chosen[sc.artists :])
    for u in artist_users:  # creators keep using the platform
        churn[u] = ctx.end
        status[u] = "active"
    ctx.dims["artist_users"] = artist_users
    ctx.dims["producer_users"] = producer_users

    users = RowBuffer("users")
    emails = []
    for i in range(n):
        row = user_row(
            ctx.seed,
            i,
            ids[i],
            str(status[i]),
            int(created[i]),
            COUNTRIES[country[i]],
            bool(two_fa[i]),
            int(last_login[i]),
            int(deleted_at[i]),
        )
        emails.append(row["email"])
        users.append(row)
    ctx.rows["users"] = users
    ctx.dims["users"] = dict(
        id=ids, created=created, churn=churn, country=country, status=status, email=emails
    )

    _wallets(ctx, created, status)
    _accounts(ctx, created, emails)
    _roles(ctx, created)


def user_row(
    seed: int,
    i: int,
    uid: str,
    status: str,
    created: int,
    country: str,
    two_fa: bool,
    last_login: int,
    deleted_at: int,
) -> dict:
    """User number ``i`` (the first ``N_ADMINS`` are the platform's admins)."""
    first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
    deleted = status == "deleted"
    return {
        "id": uid,
        "email": user_email(i),
        "display_name": f"{first} {last} {i}",
        "avatar_url": f"https://cdn.audifi.test/avatars/{i}.png" if i % 3 else None,
        "bio": f"Music fan from {country}" if i % 4 == 0 else None,
        "status": status,
        "email_verified": status != "pending_verification",
        "two_factor_enabled": two_fa,
        "two_factor_secret": fake_ciphertext(seed, "2fa", i) if two_fa else None,
        "created_at": created,
        "updated_at": deleted_at if deleted else last_login,
        "last_login_at": last_login,
        "deleted_at": deleted_at if deleted else None,
    }


def account_row(aid: str, uid: str, provider: str, provider_account_id: str, t: int) -> dict:
    """A login method without tokens (magic link: the e-mail; wallet: the address)."""
    return {
        "id": aid,
        "user_id": uid,
        "provider": provider,
        "provider_account_id": provider_account_id,
        "created_at": t,
        "updated_at": t,
    }


def wallet_row(
    wid: str,
    uid: str,
    address: str,
    chain_id: str,
    t: int,
    primary: bool,
    verified: bool = True,
    label: str | None = None,
) -> dict:
    """A wallet a user linked (and verified, unless not) at ``t``."""
    return {
        "id": wid,
        "user_id": uid,
        "wallet_address": address,
        "chain_id": chain_id,
        "is_primary": primary,
        "verified": verified,
        "verified_at": t if verified else None,
        "label": label,
        "created_at": t,
        "updated_at": t,
    }


def _wallets(ctx: Ctx, created: np.ndarray, status: np.ndarray) -> None:
    """One EVM address per wallet user, registered on one or more chains; some Solana wallets.

    Chain activity also involves external wallets that no user has linked.
    """
    rng = ctx.rng
    n = len(created)
    has_evm = rng.random(n) < 0.55
    has_evm[:N_ADMINS] = False
    has_evm[ctx.dims["artist_users"]] = True
    evm_users = np.flatnonzero(has_evm)
    user_addr = ctx.ids.addresses("user", len(evm_users))
    n_ext = max(50, len(evm_users) // 3)
    ext_addr = ctx.ids.addresses("external", n_ext)
    addresses = user_addr + ext_addr
    wallet_user = np.concatenate([evm_users, np.full(n_ext, -1)])
    user_wallet = np.full(n, -1)
    user_wallet[evm_users] = np.arange(len(evm_users))
    pools: dict[str, np.ndarray] = {}
    rows = RowBuffer("user_wallets")
    on_chain = {c.chain_id: np.zeros(len(evm_users), bool) for c in CHAINS}
    on_chain["1"][:] = True
    on_chain["137"] = rng.random(len(evm_users)) < 0.45
    on_chain["42161"] = rng.random(len(evm_users)) < 0.25
    for k, u in enumerate(evm_users):
        for c in CHAINS:
            if not on_chain[c.chain_id][k]:
                continue
            t = int(created[u] + rng.integers(0, 5 * DAY))
            label = None if c.chain_id == "1" else f"{c.name} wallet"
            uid = ctx.dims["users"]["id"][u]
            wid = ctx.ids.uuid("user_wallets")
            rows.append(
                wallet_row(wid, uid, addresses[k], c.chain_id, t, c.chain_id == "1", True, label)
            )
    for c in CHAINS:
        ext = np.arange(len(evm_users), len(addresses))
        pools[c.chain_id] = np.concatenate([np.flatnonzero(on_chain[c.chain_id]), ext])
    sol_users = np.flatnonzero(rng.random(n) < 0.1)
    for u in sol_users:
        t = int(created[u] + DAY)
        address = solana_address(ctx.seed, int(u))
        uid, wid = ctx.dims["users"]["id"][u], ctx.ids.uuid("user_wallets")
        rows.append(
            wallet_row(wid, uid, address, "solana", t, not has_evm[u], bool(u % 5), "phantom")
        )
    ctx.rows["user_wallets"] = rows
    ctx.dims["wallets"] = dict(
        address=addresses, user=wallet_user, pool=pools, user_wallet=user_wallet, on_chain=on_chain
    )


def _accounts(ctx: Ctx, created: np.ndarray, emails: list[str]) -> None:
    rng = ctx.rng
    rows = RowBuffer("accounts")
    uw = ctx.dims["wallets"]["user_wallet"]
    addr = ctx.dims["wallets"]["address"]
    uid = ctx.dims["users"]["id"]
    for i in range(len(created)):
        t = int(created[i])
        rows.append(account_row(ctx.ids.uuid("accounts"), uid[i], "magic_link", emails[i], t))
        r = rng.random()
        if r < 0.45:
            prov = "google" if r < 0.35 else ("apple" if r < 0.41 else "github")
            rows.append(
                {
                    "id": ctx.ids.uuid("accounts"),
                    "user_id": uid[i],
                    "provider": prov,
                    "provider_account_id": f"{prov}-{100000000 + i * 7919}",
                    "access_token": fake_ciphertext(ctx.seed, "at", i),
                    "refresh_token": fake_ciphertext(ctx.seed, "rt", i),
                    "access_token_expires": t + 3600,
                    "provider_metadata": '{"locale":"en"}',
                    "created_at": t,
                    "updated_at": t,
                }
            )
        if uw[i] >= 0:
            rows.append(account_row(ctx.ids.uuid("accounts"), uid[i], "wallet", addr[uw[i]], t))
    ctx.rows["accounts"] = rows


def _roles(ctx: Ctx, created: np.ndarray) -> None:
    uid = ctx.dims["users"]["id"]
    role_id = ctx.dims["role_id"]
    admin = uid[PLATFORM_ADMIN]
    rows = RowBuffer("user_roles")
    extra: dict[int, list[str]] = {}
    for u in ctx.dims["artist_users"]:
        extra.setdefault(int(u), []).append("artist")
    for u in ctx.dims["producer_users"]:
        extra.setdefault(int(u), []).append("producer")
    for i in range(len(created)):
        roles = ["admin"] if is_admin(i) else ["viewer", *extra.get(i, [])]
        for r in roles:
            rows.append(
                role_row(ctx.ids.uuid("user_roles"), uid[i], r, role_id[r], created[i], admin)
            )
    ctx.rows["user_roles"] = rows


def role_row(rid: str, uid: str, role: str, role_id: str, t: int, admin: str) -> dict:
    """User ``uid`` gets ``role`` at ``t``: the viewer role comes with signing up, any other is
    assigned by the platform admin (whose own role no one assigned)."""
    return {
        "id": rid,
        "user_id": uid,
        "role_id": role_id,
        "assigned_by": None if role == "viewer" or uid == admin else admin,
        "assigned_at": int(t),
        "expires_at": None,
    }


@dataclass
class Users:
    """Users who can act in the window, ordered by sign-up (admins excluded)."""

    id: list[str]
    number: np.ndarray  # the user's number (``identity.user_number``): keys per-user values
    created: np.ndarray
    churn: np.ndarray  # first instant the user no longer acts (end of window if active)
    wallet: list[str | None]  # the EVM wallet (same address on every chain), if any
    country: np.ndarray
    admin: str  # the platform admin who verifies revenue and moderates chat


def admin_id(conn: psycopg.Connection, number: int) -> str:
    """The id of admin ``number`` (``identity.PLATFORM_ADMIN``/``SECURITY_ADMIN``), found by
    its e-mail."""
    email = user_email(number)
    row = conn.execute("SELECT id::text FROM oltp.users WHERE email = %s", (email,)).fetchone()
    if row is None:
        raise AudifiError(NOT_OURS.format(what=f"no platform admin {email}"))
    return row[0]


def load_users(conn: psycopg.Connection, w: Window) -> Users:
    rows = conn.execute(
        """SELECT u.id::text, extract(epoch FROM u.created_at)::bigint, u.status::text,
                  extract(epoch FROM u.deleted_at)::bigint, uw.wallet_address, u.email
           FROM oltp.users u
           LEFT JOIN oltp.user_wallets uw ON uw.user_id = u.id AND uw.chain_id = '1'
           ORDER BY u.created_at, u.id"""
    ).fetchall()
    admin = admin_id(conn, PLATFORM_ADMIN)
    rows = [r for r in rows if not is_admin(user_number(r[5]))]
    return Users(
        id=[r[0] for r in rows],
        number=np.array([user_number(r[5]) for r in rows], np.int64),
        created=np.array([r[1] for r in rows], np.int64),
        churn=np.array([w.end if r[2] == "active" else (r[3] or r[1]) for r in rows], np.int64),
        wallet=[r[4] for r in rows],
        country=user_countries(w.seed, [r[0] for r in rows]),
        admin=admin,
    )
