"""Identity: users (sign-ups, churn, soft deletes), login accounts, roles and wallets.

One simulation for both paths: users are numbered in sign-up order and everything about a user
is keyed by that number (``Lifecycle``), so appended days re-derive stored users' hidden
attributes (churn) and move their time-moving columns on (``user_rows`` as of an instant).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np
import psycopg

from audifi.errors import AudifiError
from audifi.seed import keyed
from audifi.seed.context import COUNTRIES, NOT_OURS, Ctx, Window, user_countries
from audifi.seed.copy_loader import Loader
from audifi.seed.ids import IdFactory, fake_ciphertext, solana_address
from audifi.seed.scales import Scale
from audifi.seed.timeline import CHAINS, DAY, NEVER

# fmt: off
FIRST = ["Ava", "Leo", "Mia", "Noah", "Zoe", "Kai", "Ivy", "Eli", "Nia", "Omar", "Sara", "Yuki",
         "Lina", "Theo", "Rosa", "Ade", "Jin", "Maya", "Luca", "Ines"]
LAST = ["Stone", "Rivera", "Okafor", "Tanaka", "Berg", "Silva", "Novak", "Haddad", "Kim", "Moreau",
        "Costa", "Singh", "Walker", "Lopez", "Ibrahim", "Fischer"]
# fmt: on
# The first N_ADMINS users are the admins: PLATFORM_ADMIN assigns roles, verifies revenue and
# moderates chat; SECURITY_ADMIN investigates security events (on both paths).
N_ADMINS = 3
PLATFORM_ADMIN = 0
SECURITY_ADMIN = 1
LINK_DAYS = 5  # an EVM wallet is linked within this many days of signing up (Solana: a day)
STATUSES = np.array(["active", "suspended", "pending_verification", "deleted"])
STATUS_MIX = [0.88, 0.02, 0.05, 0.05]  # "deleted": soft-deleted when the user churns
CHURN_SHARE = 0.35  # users who stop using the platform some time after signing up
CHURN_MEAN_DAYS = 60
SIGNUP_SHAPE = 1.25  # sign-ups so far grow as (elapsed share of the history) ** SIGNUP_SHAPE
CHAIN_SHARE = {"1": 1.0, "137": 0.45, "42161": 0.25}  # of the users with an EVM wallet
CHAIN_INDEX = {c.chain_id: i for i, c in enumerate(CHAINS)}  # its keyed draws: 7+i and 10+i
EVM_SHARE, SOLANA_SHARE, SSO_SHARE = 0.55, 0.1, 0.45
WALLET_LABEL = {c.chain_id: f"{c.name} wallet" for c in CHAINS if c.chain_id != "1"}
WALLET_LABEL["solana"] = "phantom"  # Ethereum's wallets have no label
ACCOUNT_SLOTS, WALLET_SLOTS, ROLE_SLOTS = 3, 4, 3  # per-user numbering of the users' rows
ROLE_SLOT = {"viewer": 0, "admin": 0, "artist": 1, "producer": 2}


def user_email(i: int) -> str:
    return f"admin{i}@audifi.test" if i < N_ADMINS else f"user{i}@example.test"


def user_number(email: str) -> int:
    """The inverse of ``user_email``: how appended days number the stored users."""
    return int(email.partition("@")[0].removeprefix("admin").removeprefix("user"))


def signups(seed: int, scale: Scale, origin: int, start: int, end: int) -> np.ndarray:
    """Sign-up instants in [start, end), in order: the admins at ``origin``, then the fans."""
    admins = np.full(N_ADMINS if start <= origin < end else 0, origin, np.int64)
    fans = keyed.arrivals(
        seed, "signups", scale.users - N_ADMINS, scale.days, SIGNUP_SHAPE, origin, start, end
    )
    return np.concatenate([admins, fans])


@dataclass
class Lifecycle:
    """The keyed attributes of users (by number) who signed up at ``created``."""

    number: np.ndarray
    created: np.ndarray
    plan: np.ndarray  # status index into STATUSES; "deleted" takes effect at ``gone``
    churn: np.ndarray  # first instant the user no longer acts (NEVER if they stay)
    gone: np.ndarray  # when a churning user leaves (and a "deleted" one is soft-deleted)
    two_fa: np.ndarray
    evm: np.ndarray  # links an EVM wallet (one address on every chain it uses)
    solana: np.ndarray
    sso: np.ndarray  # uniform: which single-sign-on provider, if any (< SSO_SHARE)
    seed: int

    @classmethod
    def of(cls, seed: int, number: np.ndarray, created: np.ndarray) -> Lifecycle:
        u = partial(keyed.uniform, seed, "user", number)
        admin = number < N_ADMINS
        plan = np.where(admin, 0, keyed.categorical(u(0), STATUS_MIX))
        gone = created + (-np.log1p(-u(1)) * CHURN_MEAN_DAYS * DAY).astype(np.int64) + DAY
        churn = np.where(~admin & ((u(2) < CHURN_SHARE) | (plan == 3)), gone, NEVER)
        two_fa, evm, solana = u(3) < 0.15, ~admin & (u(4) < EVM_SHARE), u(5) < SOLANA_SHARE
        return cls(number, created, plan, churn, gone, two_fa, evm, solana, sso=u(6), seed=seed)

    @property
    def creator(self) -> np.ndarray:
        """Who may create: active for good, with an EVM wallet (artists sell NFTs); no admin."""
        return (self.plan == 0) & (self.churn == NEVER) & self.evm

    @cached_property
    def active(self) -> np.ndarray:
        """Whose status is active (plan 3 too, until soft-deleted): who logs in and subscribes."""
        return np.isin(self.plan, (0, 3))

    def status(self, as_of: int) -> np.ndarray:
        deleted = (self.plan == 3) & (self.gone < as_of)
        return np.where(deleted, "deleted", np.where(self.plan == 3, "active", STATUSES[self.plan]))

    def last_login(self, as_of: int) -> np.ndarray:
        """A recent login before the user stopped (or before ``as_of``), keyed by the day."""
        gap = keyed.exponential(self.seed, "last-login", self.number, as_of // DAY) * 2 * DAY
        last = np.minimum(self.churn, as_of) - 1 - gap.astype(np.int64)
        return np.maximum(last, self.created)

    def on_chain(self, chain_id: str) -> np.ndarray:
        u = keyed.uniform(self.seed, "user", self.number, 7 + CHAIN_INDEX[chain_id])
        return self.evm & (u < CHAIN_SHARE[chain_id])

    def linked_at(self, chain_id: str) -> np.ndarray:
        """When the user links their wallet on ``chain_id`` (within ``LINK_DAYS`` of signing up)."""
        u = keyed.uniform(self.seed, "user", self.number, 10 + CHAIN_INDEX[chain_id])
        return self.created + (u * LINK_DAYS * DAY).astype(np.int64)


def traders(life: Lifecycle, rank: np.ndarray | None = None) -> Callable[[int], dict]:
    """Per chain id (``CHAINS`` order), who can trade (collect NFTs, swap coins) on a day: a wallet
    there linked before it, not gone by it; in ``rank`` order if given, else by number."""
    chains = {}
    for c in CHAINS:
        on = np.flatnonzero(life.on_chain(c.chain_id))
        on = on if rank is None else on[np.argsort(rank[on], kind="stable")]
        chains[c.chain_id] = (life.number[on], life.linked_at(c.chain_id)[on], life.churn[on])
    return lambda d: {c: n[(lk < d * DAY) & (ch > d * DAY)] for c, (n, lk, ch) in chains.items()}


def user_moves(ids: IdFactory, life: Lifecycle, as_of: int) -> list[dict]:
    """The users' columns that move with ``as_of`` (status, last login, deletion), with ids."""
    uids = ids.uuids_at("users", life.number.tolist())
    status, login = life.status(as_of).tolist(), life.last_login(as_of).tolist()
    gone = [
        g if st == "deleted" else None for g, st in zip(life.gone.tolist(), status, strict=True)
    ]
    return [
        dict(id=u, status=st, last_login_at=t, updated_at=g or t, deleted_at=g)
        for u, st, t, g in zip(uids, status, login, gone, strict=True)
    ]


def user_rows(ids: IdFactory, life: Lifecycle, as_of: int) -> list[dict]:
    """The users as of ``as_of`` (``user_moves`` and the columns that do not move)."""
    moves = user_moves(ids, life, as_of)
    country = COUNTRIES[user_countries(life.seed, [m["id"] for m in moves])].tolist()
    two_fa = life.two_fa.tolist()
    return [
        {
            **m,
            "email": user_email(i),
            "display_name": f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]} {i}",
            "avatar_url": f"https://cdn.audifi.test/avatars/{i}.png" if i % 3 else None,
            "bio": f"Music fan from {country[k]}" if i % 4 == 0 else None,
            "email_verified": m["status"] != "pending_verification",
            "two_factor_enabled": two_fa[k],
            "two_factor_secret": fake_ciphertext(life.seed, "2fa", i) if two_fa[k] else None,
            "created_at": int(life.created[k]),
        }
        for k, (i, m) in enumerate(zip(life.number.tolist(), moves, strict=True))
    ]


def identity_rows(
    ids: IdFactory, life: Lifecycle, roles: dict[str, str], start: int, end: int
) -> dict[str, list]:
    """The rows of [start, end): the users signing up in it (as of ``end``) with their accounts
    (magic link, maybe SSO, maybe wallet) and viewer role (the admins: admin), and the wallets
    linked in it: the EVM address on each chain a user uses (primary on Ethereum), a Solana one
    (primary without an EVM wallet; a fifth unverified)."""
    uids = ids.uuids_at("users", life.number.tolist())
    address = user_addresses(ids, life)
    admin = ids.uuids_at("users", [PLATFORM_ADMIN])[0]
    linked = [(c, life.on_chain(c.chain_id), life.linked_at(c.chain_id)) for c in CHAINS]
    new = ((life.created >= start) & (life.created < end)).tolist()
    users = [row for row, n in zip(user_rows(ids, life, end), new, strict=True) if n]
    accounts, user_roles, wallets = [], [], []
    for k, i in enumerate(life.number.tolist()):
        t, uid, r = int(life.created[k]), uids[k], life.sso[k]
        if new[k]:
            acc = ids.uuids_at("accounts", range(i * ACCOUNT_SLOTS, (i + 1) * ACCOUNT_SLOTS))
            accounts.append(account_row(acc[0], uid, "magic_link", user_email(i), t))
            if r < SSO_SHARE:  # a single-sign-on login, with its (encrypted) tokens
                provider = "google" if r < 0.35 else ("apple" if r < 0.41 else "github")
                tokens = {
                    "access_token": fake_ciphertext(life.seed, "at", i),
                    "refresh_token": fake_ciphertext(life.seed, "rt", i),
                    "access_token_expires": t + 3600,
                    "provider_metadata": '{"locale":"en"}',
                }
                key = f"{provider}-{100000000 + i * 7919}"
                accounts.append(account_row(acc[1], uid, provider, key, t) | tokens)
            if address[k] is not None:
                accounts.append(account_row(acc[2], uid, "wallet", address[k], t))
            role = "admin" if i < N_ADMINS else "viewer"
            user_roles.append(role_row(role_id(ids, i, role), uid, role, roles[role], t, admin))
        slots = ids.uuids_at("user_wallets", range(i * WALLET_SLOTS, (i + 1) * WALLET_SLOTS))
        links = [  # (slot, address, chain, linked at, primary, verified)
            (s, address[k], c.chain_id, int(at[k]), c.chain_id == "1", True)
            for s, (c, on, at) in enumerate(linked)
            if on[k]
        ]
        if life.solana[k]:  # linked a day after signing up
            sol = solana_address(life.seed, i)
            links.append((3, sol, "solana", t + DAY, not life.evm[k], bool(i % 5)))
        for s, wallet, chain_id, when, primary, verified in links:
            if start <= when < end:
                row = {
                    "id": slots[s],
                    "user_id": uid,
                    "wallet_address": wallet,
                    "chain_id": chain_id,
                    "is_primary": primary,
                    "verified": verified,
                    "verified_at": when if verified else None,
                    "label": WALLET_LABEL.get(chain_id),
                    "created_at": when,
                    "updated_at": when,
                }
                wallets.append(row)
    return {"users": users, "accounts": accounts, "user_roles": user_roles, "user_wallets": wallets}


def role_id(ids: IdFactory, number: int, role: str) -> str:
    return ids.uuids_at("user_roles", [number * ROLE_SLOTS + ROLE_SLOT[role]])[0]


def user_addresses(ids: IdFactory, life: Lifecycle) -> list[str | None]:
    """Each user's EVM address (numbered by the user), None without an EVM wallet."""
    addr = ids.addresses_at("user", life.number.tolist())
    return [a if e else None for a, e in zip(addr, life.evm.tolist(), strict=True)]


def generate_identity(ctx: Ctx) -> None:
    """The full seed's users: ``signups`` over [start, end) from number 0, as of ``end``."""
    created = signups(ctx.seed, ctx.scale, ctx.start, ctx.start, ctx.end)
    life = Lifecycle.of(ctx.seed, np.arange(len(created)), created)
    ctx.rows.update(identity_rows(ctx.ids, life, ctx.dims["role_id"], ctx.start, ctx.end))
    ctx.dims["lifecycle"] = life  # the artists' stage picks its creators among them
    ids = [r["id"] for r in ctx.rows["users"]]
    churn, country = np.minimum(life.churn, ctx.end), user_countries(ctx.seed, ids)
    ctx.dims["users"] = dict(id=ids, created=created, churn=churn, country=country)


def account_row(aid: str, uid: str, provider: str, key: str, t: int) -> dict:
    """A login method; ``key``: the e-mail (magic link), the address (wallet), the SSO id."""
    return dict(
        id=aid, user_id=uid, provider=provider, provider_account_id=key, created_at=t, updated_at=t
    )


def role_row(rid: str, uid: str, role: str, role_id: str, t: int, admin: str) -> dict:
    """User ``uid`` gets ``role`` at ``t`` (no expiry): the viewer role comes with signing up, any
    other is assigned by the platform admin (whose own role no one assigned)."""
    by = None if role == "viewer" or uid == admin else admin
    return dict(id=rid, user_id=uid, role_id=role_id, assigned_by=by, assigned_at=int(t))


def stored_lifecycle(conn: psycopg.Connection, seed: int) -> tuple[Lifecycle, list[str]]:
    """The stored users (by number) and their ids; refuses data another seed made."""
    sql = "SELECT email, extract(epoch FROM created_at)::bigint, id::text FROM oltp.users"
    rows = sorted((user_number(e), int(t), uid) for e, t, uid in conn.execute(sql))
    number, created = (np.array([r[j] for r in rows], np.int64) for j in (0, 1))
    if not np.array_equal(number, np.arange(len(rows))):
        raise AudifiError(NOT_OURS.format(what="users are not numbered 0, 1, 2, ..."))
    ids = [r[2] for r in rows]
    if ids[:1] != IdFactory(seed).uuids_at("users", [0]):
        raise AudifiError(
            f"cannot append: the data was seeded with another --seed than {seed}; "
            "pass the seed it was loaded with"
        )
    return Lifecycle.of(seed, number, created), ids


def append_identity(conn: psycopg.Connection, writer: Loader, w: Window) -> None:
    """The window's sign-ups and wallets (``identity_rows``) and the stored users moved on to its
    end; ``w.users``: every user, for the later stages."""
    ids = IdFactory(w.seed)  # users' rows are numbered by the user, as in the full seed
    old, old_ids = stored_lifecycle(conn, w.seed)
    created = np.r_[old.created, signups(w.seed, w.scale, w.origin, w.start, w.end)]
    # wallets are linked within LINK_DAYS (Solana: a day) of signing up: older users add none
    recent = np.flatnonzero(created >= w.start - (LINK_DAYS + 1) * DAY)
    window = Lifecycle.of(w.seed, recent, created[recent])
    for table, rows in identity_rows(ids, window, w.roles, w.start, w.end).items():
        writer.copy_rows(table, rows)
    writer.update("users", user_moves(ids, old, w.end))
    every = Lifecycle.of(w.seed, np.arange(len(created)), created)
    w.users = every, old_ids + ids.uuids_at("users", range(len(old_ids), len(created)))
