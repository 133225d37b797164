"""Identity: users (sign-ups, churn, soft deletes), login accounts, roles and wallets, all keyed by
the user's number in sign-up order (``Lifecycle``), so appended days re-derive the stored users."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np
import psycopg

from audifi.errors import AudifiError
from audifi.seed import keyed
from audifi.seed.context import COUNTRIES, NOT_OURS, Run, user_countries
from audifi.seed.copy_loader import TableWriter
from audifi.seed.ids import IdFactory, fake_ciphertext, solana_address
from audifi.seed.scales import Scale
from audifi.seed.timeline import CHAINS, DAY, NEVER

# fmt: off
FIRST = ["Ava", "Leo", "Mia", "Noah", "Zoe", "Kai", "Ivy", "Eli", "Nia", "Omar", "Sara", "Yuki",
         "Lina", "Theo", "Rosa", "Ade", "Jin", "Maya", "Luca", "Ines"]
LAST = ["Stone", "Rivera", "Okafor", "Tanaka", "Berg", "Silva", "Novak", "Haddad", "Kim", "Moreau",
        "Costa", "Singh", "Walker", "Lopez", "Ibrahim", "Fischer"]
# fmt: on
N_ADMINS, PLATFORM_ADMIN, SECURITY_ADMIN = 3, 0, 1  # the first users; their duties: docs/seed.md
LINK_DAYS = 5  # an EVM wallet is linked within this many days of signing up (Solana: a day)
STATUSES = np.array(["active", "suspended", "pending_verification", "deleted"])
STATUS_MIX = [0.88, 0.02, 0.05, 0.05]  # "deleted": active until soft-deleted when the user churns
CHURN_SHARE, CHURN_MEAN_DAYS = 0.35, 60  # who stop using the platform, and when (1 day + exp.)
SIGNUP_SHAPE = 1.25  # sign-ups so far grow as (elapsed share of the history) ** SIGNUP_SHAPE
CHAIN_SHARE = {"1": 1.0, "137": 0.45, "42161": 0.25}  # of the users with an EVM wallet
EVM_SHARE, SOLANA_SHARE, SSO_SHARE = 0.55, 0.1, 0.45
WALLET_LABEL = {c.chain_id: f"{c.name} wallet" for c in CHAINS[1:]} | {"solana": "phantom"}
ACCOUNT_SLOTS, WALLET_SLOTS, ROLE_SLOTS = 3, 4, 3  # per-user numbering of the users' rows
ROLE_SLOT = {"viewer": 0, "admin": 0, "artist": 1, "producer": 2}


def user_email(i: int) -> str:
    return f"admin{i}@audifi.test" if i < N_ADMINS else f"user{i}@example.test"


def signups(seed: int, scale: Scale, origin: int, start: int, end: int) -> np.ndarray:
    """Sign-up instants in [start, end), in order: the admins at ``origin``, then the days' fans."""
    out = [np.full(N_ADMINS if start <= origin < end else 0, origin, np.int64)]
    n, days = scale.users - N_ADMINS, scale.days
    for day in range(max(start, origin) // DAY, end // DAY):
        k = day - origin // DAY
        share = ((k + 1) / days) ** SIGNUP_SHAPE - (k / days) ** SIGNUP_SHAPE
        rng = keyed.day_rng(seed, "signups", day)
        out.append(day * DAY + np.sort(rng.integers(0, DAY, rng.poisson(n * share))))
    return np.concatenate(out)


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
        return STATUSES[np.where((self.plan == 3) & (self.gone >= as_of), 0, self.plan)]

    def last_login(self, as_of: int) -> np.ndarray:
        """A recent login before the user stopped (or before ``as_of``), keyed by the day."""
        gap = keyed.exponential(self.seed, "last-login", self.number, as_of // DAY) * 2 * DAY
        return np.maximum(np.minimum(self.churn, as_of) - 1 - gap.astype(np.int64), self.created)

    @cached_property
    def linked(self) -> dict[str, np.ndarray]:
        """When each user links their EVM address on each chain (by chain id), or NEVER."""
        u, out = partial(keyed.uniform, self.seed, "user", self.number), {}
        for i, c in enumerate(CHAINS):
            at = self.created + (u(10 + i) * LINK_DAYS * DAY).astype(np.int64)
            out[c.chain_id] = np.where(self.evm & (u(7 + i) < CHAIN_SHARE[c.chain_id]), at, NEVER)
        return out


def traders(life: Lifecycle, rank: np.ndarray | None = None) -> Callable[[int], dict]:
    """Per chain id: who can trade on a day (linked before, not gone), by ``rank`` or by number."""
    chains = {}
    for c, at in life.linked.items():
        on = np.flatnonzero(at < NEVER)
        on = on if rank is None else on[np.argsort(rank[on], kind="stable")]
        chains[c] = (life.number[on], at[on], life.churn[on])
    return lambda d: {c: n[(lk < d * DAY) & (ch > d * DAY)] for c, (n, lk, ch) in chains.items()}


def user_moves(ids: IdFactory, life: Lifecycle, as_of: int) -> list[dict]:
    """The users' columns that move with ``as_of`` (status, last login, deletion), with ids."""
    status = life.status(as_of)
    gone = np.where(status == "deleted", life.gone, 0).tolist()  # 0: not deleted
    uids, login = ids.uuids_at("users", life.number.tolist()), life.last_login(as_of).tolist()
    return [
        dict(id=u, status=st, last_login_at=t, updated_at=g or t, deleted_at=g or None)
        for u, st, t, g in zip(uids, status.tolist(), login, gone, strict=True)
    ]


def identity_rows(
    ids: IdFactory, life: Lifecycle, roles: dict[str, str], start: int, end: int
) -> dict[str, list]:
    """The users signing up in [start, end) (as of ``end``), their accounts, roles; its wallets."""
    moves, address, seed = user_moves(ids, life, end), user_addresses(ids, life), life.seed
    country = COUNTRIES[user_countries(seed, [m["id"] for m in moves])].tolist()
    two_fa = life.two_fa.tolist()
    # a user's wallets by slot: the EVM address on each chain it uses, then Solana (a day after)
    slots = [*life.linked.items(), ("solana", np.where(life.solana, life.created + DAY, NEVER))]
    out: dict[str, list] = {"users": [], "accounts": [], "user_roles": [], "user_wallets": []}
    for k, (i, m) in enumerate(zip(life.number.tolist(), moves, strict=True)):
        t, uid, r = int(life.created[k]), m["id"], life.sso[k]
        if start <= t < end:
            out["users"].append(
                {
                    **m,
                    "email": user_email(i),
                    "display_name": f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]} {i}",
                    "avatar_url": f"https://cdn.audifi.test/avatars/{i}.png" if i % 3 else None,
                    "bio": f"Music fan from {country[k]}" if i % 4 == 0 else None,
                    "email_verified": m["status"] != "pending_verification",
                    "two_factor_enabled": two_fa[k],
                    "two_factor_secret": fake_ciphertext(seed, "2fa", i) if two_fa[k] else None,
                    "created_at": t,
                }
            )
            logins = [(0, "magic_link", user_email(i), {})]  # (slot, provider, key, tokens)
            if r < SSO_SHARE:
                provider = "google" if r < 0.35 else ("apple" if r < 0.41 else "github")
                tokens = {
                    "access_token": fake_ciphertext(seed, "at", i),
                    "refresh_token": fake_ciphertext(seed, "rt", i),
                    "access_token_expires": t + 3600,
                    "provider_metadata": '{"locale":"en"}',
                }
                logins.append((1, provider, f"{provider}-{100000000 + i * 7919}", tokens))
            if address[k] is not None:
                logins.append((2, "wallet", address[k], {}))
            acc = ids.uuids_at("accounts", range(i * ACCOUNT_SLOTS, (i + 1) * ACCOUNT_SLOTS))
            common = dict(user_id=uid, created_at=t, updated_at=t)
            out["accounts"] += [
                dict(id=acc[s], provider=p, provider_account_id=key, **common, **tok)
                for s, p, key, tok in logins
            ]
            role = "admin" if i < N_ADMINS else "viewer"
            out["user_roles"].append(role_row(ids, i, role, roles, t))
        for s, (c, at) in enumerate(slots):
            if start <= at[k] < end:
                sol, when = c == "solana", int(at[k])
                verified = not sol or i % 5 > 0  # a fifth of the Solana wallets are not
                out["user_wallets"].append(
                    {
                        "id": ids.uuids_at("user_wallets", [i * WALLET_SLOTS + s])[0],
                        "user_id": uid,
                        "wallet_address": solana_address(seed, i) if sol else address[k],
                        "chain_id": c,
                        "is_primary": not life.evm[k] if sol else c == "1",
                        "verified": verified,
                        "verified_at": when if verified else None,
                        "label": WALLET_LABEL.get(c),
                        "created_at": when,
                        "updated_at": when,
                    }
                )
    return out


def user_addresses(ids: IdFactory, life: Lifecycle) -> list[str | None]:
    """Each user's EVM address (numbered by the user), None without an EVM wallet."""
    addr = ids.addresses_at("user", life.number.tolist())
    return [a if e else None for a, e in zip(addr, life.evm.tolist(), strict=True)]


def role_row(ids: IdFactory, number: int, role: str, roles: dict[str, str], t: int) -> dict:
    """User ``number`` gets ``role`` at ``t`` (no expiry): the viewer role comes with signing up,
    any other is assigned by the platform admin (whose own role no one assigned)."""
    rid = ids.uuids_at("user_roles", [number * ROLE_SLOTS + ROLE_SLOT[role]])[0]
    uid, admin = ids.uuids_at("users", [number, PLATFORM_ADMIN])
    by = None if role == "viewer" or number == PLATFORM_ADMIN else admin
    return dict(id=rid, user_id=uid, role_id=roles[role], assigned_by=by, assigned_at=t)


def stored_lifecycle(conn: psycopg.Connection, seed: int) -> tuple[Lifecycle, list[str]]:
    """The stored users (numbered as in ``user_email``) and their ids; refuses another seed's."""
    sql = """SELECT substring(email FROM '[0-9]+')::bigint AS n,
      extract(epoch FROM created_at)::bigint, id::text FROM oltp.users ORDER BY n"""
    number, created, ids = (list(col) for col in zip(*conn.execute(sql), strict=True))
    if number != list(range(len(number))):
        raise AudifiError(NOT_OURS.format(what="users are not numbered 0, 1, 2, ..."))
    if ids[:1] != IdFactory(seed).uuids_at("users", [0]):
        raise AudifiError(
            f"cannot append: the data was seeded with another --seed than {seed}; "
            "pass the seed it was loaded with"
        )
    return Lifecycle.of(seed, np.array(number, np.int64), np.array(created, np.int64)), ids


def write_identity(out: TableWriter, w: Run, stored: tuple[Lifecycle, list[str]] | None) -> None:
    """The run's sign-ups and wallets, the ``stored`` users (``stored_lifecycle``; a full seed:
    none) moved on to its end; sets ``w.users``, every user by number and their ids."""
    empty = np.zeros(0, np.int64)
    old, old_ids = (Lifecycle.of(w.seed, empty, empty), []) if stored is None else stored
    created = np.r_[old.created, signups(w.seed, w.scale, w.origin, w.start, w.end)]
    # wallets are linked within LINK_DAYS (Solana: a day) of signing up: older users add none
    recent = np.flatnonzero(created >= w.start - (LINK_DAYS + 1) * DAY)
    window = Lifecycle.of(w.seed, recent, created[recent])
    for table, rows in identity_rows(w.ids, window, w.roles, w.start, w.end).items():
        out.copy_rows(table, rows)  # users' rows are numbered by the user on both paths
    out.update("users", user_moves(w.ids, old, w.end))
    every = Lifecycle.of(w.seed, np.arange(len(created)), created)
    w.users = every, old_ids + w.ids.uuids_at("users", range(len(old_ids), len(created)))
