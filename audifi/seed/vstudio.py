"""V Studio sessions: decision points, participants, eligible votes, chat and engagement.

Eligibility rules are checked against the generated facts at the vote's time:
nft_holders = the voter's wallet owns a token of the session's master; coin_holders = it holds
the artist's coin; subscribers = a paid subscription covers the instant; superfans = the voter
follows the artist; whitelist = the voter's user id is in ``eligibility_config.userIds``.
The row functions and draws (sessions, points, participants, chat, votes) are shared with
appended days (``append_vstudio``, ``append_vstudio_rows``).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from audifi.seed.context import Ctx
from audifi.seed.copy_loader import RowBuffer
from audifi.seed.identity import N_ADMINS, PLATFORM_ADMIN
from audifi.seed.ids import IdFactory
from audifi.seed.nfts import owner_at
from audifi.seed.timeline import DAY
from oltp.vstudio import EngagementEventType

DP_TYPES = ["poll", "binary", "slider", "ranking", "open_text"]
EVENT_TYPES = [t.value for t in EngagementEventType]  # the enum, in declared order
REACTIONS = ["fire", "heart", "clap", "wow"]
NFT_HOLDER_WEIGHT = "1.5000"  # a vote's weight when the voter holds the master's NFT
SUPERFAN_WEIGHT = "2.0000"  # ... when the voter follows the artist (superfans rule)
SESSION_TYPES = ["cover_art", "mix_feedback", "tracklist", "listening_party"]
SHARE = len(REACTIONS)  # engagement data index of a share's {"channel": "x"} (after reactions)
# What became of a session once its scheduled end passed, and how often: a cancelled one
# never started (no participants, points or votes).
SESSION_FATES = {"completed": 0.75, "ipo_launched": 0.1, "cancelled": 0.05, "locked": 0.1}
CANCELLED = "cancelled"


def session_fate(u: float, ran: bool = False) -> str:
    """The fate of a session for the uniform draw ``u`` (the full seed's ``rng.choice`` over
    ``SESSION_FATES``); ``ran``: the session did start (it was live), so it was not cancelled."""
    fates = [f for f in SESSION_FATES if not (ran and f == CANCELLED)]
    cdf = np.cumsum([SESSION_FATES[f] for f in fates])
    return fates[int((cdf / cdf[-1]).searchsorted(u, side="right"))]


def generate_vstudio(ctx: Ctx) -> None:
    rng, sc = ctx.rng, ctx.scale
    m = ctx.dims["masters"]
    users = ctx.dims["users"]
    addr = ctx.dims["wallets"]["address"]
    uw = ctx.dims["wallets"]["user_wallet"]
    a_ids = ctx.dims["artists"]["id"]
    admin = users["id"][PLATFORM_ADMIN]
    nfts = ctx.dims["nfts"]
    tok_master = nfts["c_master"][nfts["contract"]]
    candidates = np.flatnonzero(np.isin(m["status"], ["approved", "live", "archived"]))
    w = m["pop"][candidates] + 0.05
    chosen = rng.choice(candidates, size=min(sc.sessions, len(candidates)), p=w / w.sum())
    sessions, dps = [], []
    parts = RowBuffer("vstudio_participants")
    votes, chats = RowBuffer("vstudio_votes"), RowBuffer("vstudio_chat_messages")
    # compact int64 arrays: the engagement log is the largest V Studio table
    ev = {k: array("q") for k in ("session", "user", "type", "dp", "t", "data")}
    follows = ctx.dims["follows"]
    cover = ctx.dims["paid_cover"]
    coin = ctx.dims["coin_holders"]

    def add_event(s: int, u: int, kind: str, t: int, dp: int = -1, data: int = -1) -> None:
        ev["session"].append(s)
        ev["user"].append(u)
        ev["type"].append(EVENT_TYPES.index(kind))
        ev["dp"].append(dp)
        ev["t"].append(t)
        ev["data"].append(data)

    for s_idx, mi in enumerate(chosen.tolist()):
        artist = int(m["artist"][mi])
        start = int(m["created"][mi] + rng.uniform(1, 60) * DAY)
        start = start // 3600 * 3600 + 18 * 3600
        dur = int(rng.integers(1, 4)) * 3600
        if start >= ctx.end:
            status, a0, a1 = "scheduled", None, None
        elif start + dur >= ctx.end:
            status, a0, a1 = "live", start + 120, None
        else:
            status = session_fate(rng.random())
            a0, a1 = (None, None) if status == CANCELLED else (start + 120, start + dur)
        sid = ctx.ids.uuid("vstudio_sessions")
        allow_anon = bool(rng.random() < 0.3)
        row = session_row(
            f"session-{s_idx}", m["id"][mi], a_ids[artist], start - 7 * DAY, start, start + dur, sid
        )
        row.update(
            status=status,
            actual_start_at=a0,
            actual_end_at=a1,
            allow_anonymous=allow_anon,
            updated_at=min(a1 or start, ctx.end - 1),
        )
        sessions.append(row)
        if a0 is None:
            continue
        live_end = a1 if a1 is not None else ctx.end - 60
        # participants: users signed up before the session and not churned by then
        pool = np.flatnonzero((users["created"] < a0) & (users["churn"] > a0))
        pool = pool[pool >= N_ADMINS]  # admins moderate, they do not take part
        n_p = min(len(pool), max(2, int(sc.viewers_per_session * rng.lognormal(-0.3, 0.8))))
        pu = np.sort(rng.choice(pool, n_p, replace=False))
        joined, left = attendance(rng, a0, live_end, n_p)
        if rng.random() < 0.4:
            row["max_participants"] = int(n_p + rng.integers(0, 50))
        part_rows = {}
        for j, u in enumerate(pu.tolist()):
            wallet = addr[uw[u]] if uw[u] >= 0 else None
            j0, j1 = int(joined[j]), int(left[j])
            pr = participant_row(ctx.ids, sid, users["id"][u], wallet, j0, j1, a1 is not None)
            part_rows[u] = pr
            for kind, t, reaction in participant_activity(rng, j0, j1):
                data = -1
                if kind == "reaction":
                    data = reaction
                    pr["reactions_count"] += 1
                elif kind == "share":
                    data = SHARE
                elif kind == "chat_message":
                    chats.append(chat_row(rng, ctx.ids, sid, users["id"][u], len(chats), t, admin))
                    pr["messages_count"] += 1
                add_event(s_idx, u, kind, t, data=data)
        for _ in range(rng.poisson(n_p * 1.5)):  # anonymous page views
            add_event(s_idx, -1, "session_view", int(a0 + rng.random() * (live_end - a0)))
        # concurrency peak from the join/leave sweep
        row["peak_concurrent_viewers"] = peak_concurrent(joined, left)
        row["participant_count"] = n_p

        n_dp = int(rng.integers(2, 6))
        edges = np.linspace(a0, live_end, n_dp + 1).astype(np.int64)
        toks = np.flatnonzero(tok_master == mi)
        holders = coin.get(artist, {})
        fl, ft = follows.get(artist, (np.zeros(0, int), np.zeros(0, int)))
        follow_t = dict(zip(fl.tolist(), ft.tolist(), strict=True))
        for d in range(n_dp):
            kind, rule, opts, d0, d1 = decision(rng, edges, d, bool(len(toks)), bool(holders))
            dp_id = ctx.ids.uuid("vstudio_decision_points")
            whitelist = pu[rng.random(n_p) < 0.3] if rule == "whitelist" else None
            dp = decision_point_row(
                dp_id,
                sid,
                kind,
                d,
                opts,
                rule,
                [users["id"][u] for u in whitelist.tolist()] if whitelist is not None else [],
                (d0, d1),
                a1 is None and d == n_dp - 1,
                start - 7 * DAY,
                min(d1 + 60, ctx.end - 1),
            )
            dps.append(dp)
            dp_idx = len(dps) - 1
            results = Results()
            wl = set(whitelist.tolist()) if whitelist is not None else set()
            for j, u in enumerate(pu.tolist()):
                t = vote_time(rng, int(joined[j]), d0, d1)
                if t is None:
                    continue
                wallet = int(uw[u])
                flags = vote_flags(
                    rule,
                    t,
                    wallet if wallet >= 0 else None,
                    nft_owners=partial(owner_at, ctx, toks),
                    coin_since=holders[wallet][1] if wallet in holders else None,
                    cover=cover.get(u, []),
                    followed_at=follow_t.get(u),
                    listed=u in wl,
                )
                if flags is None:
                    continue
                vote = vote_content(rng, kind, opts)
                results.add(vote)
                votes.append(
                    vote_row(
                        ctx.ids,
                        dp_id,
                        sid,
                        t,
                        vote,
                        flags,
                        user=users["id"][u],
                        wallet=addr[wallet] if wallet >= 0 else None,
                        ip_hash=client_ip_hash(u),
                    )
                )
                part_rows[u]["votes_count"] += 1
                add_event(s_idx, u, "vote_cast", t, dp=dp_idx)
            if allow_anon and rule == "open":
                for _ in range(rng.poisson(n_p * 0.3)):
                    t = int(d0 + rng.random() * (d1 - d0))
                    vote = vote_content(rng, kind, opts)
                    anonymous = f"anon-{rng.integers(1 << 40):010x}"
                    votes.append(vote_row(ctx.ids, dp_id, sid, t, vote, {}, anonymous=anonymous))
                    results.add(vote, anonymous=True)
                    add_event(s_idx, -1, "vote_cast", t, dp=dp_idx)
            row["total_votes"] += results.total
            if d1 < ctx.end - 60 and (a1 is not None or d < n_dp - 1):
                dp["results_json"] = results.json()
                dp["results_computed_at"] = d1 + 60
        parts.extend(part_rows.values())  # their vote/message/reaction counters are final now
    ctx.rows["vstudio_sessions"] = sessions
    ctx.rows["vstudio_decision_points"] = dps
    ctx.rows["vstudio_participants"] = parts
    ctx.rows["vstudio_votes"] = votes
    ctx.rows["vstudio_chat_messages"] = chats
    ctx.dims["engagement"] = {k: np.frombuffer(v, dtype=np.int64) for k, v in ev.items()}
    ctx.dims["session_ids"] = [s["id"] for s in sessions]
    ctx.dims["dp_ids"] = [d["id"] for d in dps]


# The session model below is shared with ``append_days`` (``append_vstudio_rows``); each
# function draws from ``rng`` in a fixed order, so callers keep the seed's sequence of draws.


def session_row(
    slug: str, master: str, artist: str, created: int, start: int, end: int, sid: str
) -> dict[str, Any]:
    """A scheduled session ``session-<n>`` (its status and actual times are set by the run)."""
    n = int(slug.rsplit("-", 1)[1])
    return {
        "id": sid,
        "master_id": master,
        "artist_id": artist,
        "title": f"Session {n}: shape the release",
        "slug": slug,
        "session_type": SESSION_TYPES[n % 4],
        "status": "scheduled",
        "scheduled_start_at": start,
        "scheduled_end_at": end,
        "is_public": True,
        "background_color": "#1a1a2e",
        "participant_count": 0,
        "total_votes": 0,
        "peak_concurrent_viewers": 0,
        "created_at": created,
        "updated_at": created,
    }


def attendance(
    rng: np.random.Generator, a0: int, live_end: int, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Join and leave instants of ``n`` participants of a session live from ``a0`` to
    ``live_end``: most join early, and stay half an hour on average."""
    joined = a0 + (rng.beta(1, 3, n) * (live_end - a0 - 60)).astype(np.int64)
    left = np.minimum(joined + (rng.exponential(0.5, n) * 3600).astype(np.int64) + 60, live_end)
    return joined, left


def peak_concurrent(joined: np.ndarray, left: np.ndarray) -> int:
    """The most participants present at once (a join/leave sweep; a leave at the instant of a
    join counts first)."""
    if not len(joined):
        return 0
    marks = np.r_[joined, left]
    deltas = np.r_[np.ones(len(joined)), -np.ones(len(left))]
    order = np.lexsort((deltas, marks))
    return int(np.cumsum(deltas[order]).max())


def participant_row(
    ids: IdFactory, sid: str, uid: str, wallet: str | None, joined: int, left: int, ended: bool
) -> dict[str, Any]:
    return {
        "id": ids.uuid("vstudio_participants"),
        "vstudio_session_id": sid,
        "user_id": uid,
        "wallet_address": wallet,
        "joined_at": joined,
        "left_at": left if ended else None,
        "votes_count": 0,
        "messages_count": 0,
        "reactions_count": 0,
        "total_time_seconds": left - joined,
        "created_at": joined,
        "updated_at": left,
    }


def participant_activity(
    rng: np.random.Generator, joined: int, left: int
) -> Iterator[tuple[str, int, int]]:
    """A participant's engagement events in order, as (event type, instant, reaction index or
    -1).  The caller draws each ``chat_message``'s row (``chat_row``) before asking for the next
    event, which keeps the order of draws."""
    yield "session_view", joined - 30, -1
    yield "session_join", joined, -1
    for _ in range(rng.poisson(2.5)):
        t = int(joined + rng.random() * (left - joined))
        yield "reaction", t, int(rng.integers(0, len(REACTIONS)))
    if rng.random() < 0.1:
        yield "share", left - 1, -1
    if rng.random() < 0.05:
        yield "bookmark", joined + 1, -1
    for _ in range(rng.poisson(0.8)):
        yield "chat_message", int(joined + rng.random() * (left - joined)), -1


def chat_row(
    rng: np.random.Generator,
    ids: IdFactory,
    sid: str,
    uid: str,
    n: int,
    t: int,
    moderator: str,
) -> dict[str, Any]:
    """Chat message number ``n`` of the run; 3 % are moderated (as spam) a minute later."""
    moderated = bool(rng.random() < 0.03)
    return {
        "id": ids.uuid("vstudio_chat_messages"),
        "vstudio_session_id": sid,
        "user_id": uid,
        "message": f"love this part! #{n}",
        "is_moderated": moderated,
        "moderated_at": t + 60 if moderated else None,
        "moderated_by": moderator if moderated else None,
        "moderation_reason": "spam" if moderated else None,
        "is_highlighted": bool(rng.random() < 0.05),
        "is_pinned": False,
        "created_at": t,
    }


def decision(
    rng: np.random.Generator, edges: np.ndarray, d: int, nft_holders: bool, coin_holders: bool
) -> tuple[str, str, list[str], int, int]:
    """Decision point ``d`` of a session cut at ``edges``: its type, eligibility rule (the
    holder rules only where the session's master has tokens / its artist a coin with holders),
    options and open interval."""
    kind = DP_TYPES[int(rng.integers(0, 5))]
    rules = ["open", "authenticated", "subscribers", "superfans", "whitelist"]
    rules += ["nft_holders"] * nft_holders + ["coin_holders"] * coin_holders
    rule = str(rng.choice(rules))
    d0, d1 = int(edges[d]), int(edges[d + 1]) - 1
    opts = (
        ["yes", "no"]
        if kind == "binary"
        else [f"opt{i + 1}" for i in range(int(rng.integers(3, 5)))]
    )
    return kind, rule, opts, d0, d1


def decision_point_row(
    dp_id: str,
    sid: str,
    kind: str,
    d: int,
    opts: list[str],
    rule: str,
    listed: list[str],
    interval: tuple[int, int],
    active: bool,
    created: int,
    updated: int,
) -> dict[str, Any]:
    """The row of decision point ``d`` (``listed``: the user ids of a whitelist rule)."""
    slider = kind == "slider"
    return {
        "id": dp_id,
        "vstudio_session_id": sid,
        "type": kind,
        "label": f"Decision {d + 1}",
        "options": None
        if kind in ("slider", "open_text")
        else [{"id": o, "label": o.upper()} for o in opts],
        "slider_min": 0 if slider else None,
        "slider_max": 100 if slider else None,
        "slider_step": 5 if slider else None,
        "slider_labels": {"min": "calm", "max": "wild"} if slider else None,
        "eligibility_rule": rule,
        "eligibility_config": {"userIds": listed} if rule == "whitelist" else None,
        "superfan_weight_multiplier": "2.00",
        "nft_holder_weight": "1.50",
        "start_time": interval[0],
        "end_time": interval[1],
        "is_active": active,
        "display_order": d,
        "created_at": created,
        "updated_at": updated,
    }


def vote_flags(
    rule: str,
    t: int,
    wallet: Any,
    *,
    nft_owners: Callable[[int], Container[Any]],
    coin_since: int | None,
    cover: list[tuple[int, int]],
    followed_at: int | None,
    listed: bool,
) -> dict[str, Any] | None:
    """The eligibility rule (INV-30), full seed and appended days alike: the verification flags
    and weight of a vote cast at ``t``, or None if the voter may not vote then.  The voter's
    facts: ``wallet`` (None: none) among the ``nft_owners`` of the master's tokens at ``t``
    (asked only for ``nft_holders``), first held the artist's coin at ``coin_since``, paid
    ``cover`` periods, followed the artist at ``followed_at``, is on the point's whitelist."""
    if rule == "nft_holders":
        owns = wallet is not None and wallet in nft_owners(t)
        return {"verified_nft_holder": True, "weight": NFT_HOLDER_WEIGHT} if owns else None
    if rule == "coin_holders":
        held = coin_since is not None and coin_since <= t
        return {"verified_coin_holder": True} if held else None
    if rule == "subscribers":
        covered = any(c0 <= t <= c1 for c0, c1 in cover)
        return {"verified_subscriber": True} if covered else None
    if rule == "superfans":
        followed = followed_at is not None and followed_at <= t
        return {"weight": SUPERFAN_WEIGHT} if followed else None
    if rule == "whitelist" and not listed:
        return None
    return {}


def vote_time(rng: np.random.Generator, joined: int, d0: int, d1: int) -> int | None:
    """When a participant who joined at ``joined`` votes on a decision open [d0, d1]; None if
    they joined after it closed or do not vote (35 %)."""
    if joined >= d1 or rng.random() > 0.65:
        return None
    t0 = max(joined, d0)
    return int(t0 + rng.random() * (d1 - t0))


@dataclass
class Results:
    """A decision point's results: ``totalVotes`` counts every vote (INV-25); the tally (by
    option, slider value or "text") counts the identified voters' votes only, not the
    anonymous ones (which no eligibility rule or weight applies to)."""

    total: int = 0
    tally: dict[str, int] = field(default_factory=dict)

    def add(self, vote: dict[str, Any], anonymous: bool = False) -> None:
        self.total += 1
        if not anonymous:
            key = vote.get("option_selected") or str(vote.get("slider_value", "text"))
            self.tally[key] = self.tally.get(key, 0) + 1

    def json(self) -> dict[str, Any]:
        return {"totalVotes": self.total, "tally": self.tally}


def client_ip_hash(user_number: int) -> str:
    """The hashed client IP of a user's votes: one per user (keyed by the user's number), the
    same in the full seed and appended days."""
    return f"{(user_number * 2654435761) % (1 << 64):016x}" * 4


def vote_row(
    ids: IdFactory,
    dp_id: str,
    sid: str,
    t: int,
    vote: dict[str, Any],
    flags: dict[str, Any],
    user: str | None = None,
    wallet: str | None = None,
    anonymous: str | None = None,
    ip_hash: str | None = None,
) -> dict[str, Any]:
    """A vote cast at ``t``; ``flags`` are its eligibility (``verified_*``) and ``weight``."""
    return {
        "id": ids.uuid("vstudio_votes"),
        "decision_point_id": dp_id,
        "vstudio_session_id": sid,
        "weight": "1.0000",
        "verified_nft_holder": False,
        "verified_coin_holder": False,
        "verified_subscriber": False,
        **flags,
        **vote,
        "user_id": user,
        "wallet_address": wallet,
        "anonymous_id": anonymous,
        "client_ip_hash": ip_hash,
        "user_agent": "Mozilla/5.0 (AudiFi Web)" if user else None,
        "created_at": t,
        "updated_at": t,
    }


def vote_content(rng: np.random.Generator, kind: str, opts: list[str]) -> dict[str, Any]:
    if kind in ("poll", "binary"):
        return {"option_selected": opts[int(rng.integers(0, len(opts)))]}
    if kind == "slider":
        return {"slider_value": f"{int(rng.integers(0, 21)) * 5}.00"}
    if kind == "ranking":
        return {"ranking_order": [opts[i] for i in rng.permutation(len(opts)).tolist()]}
    return {"text_response": f"idea {int(rng.integers(0, 10**6))}"}
