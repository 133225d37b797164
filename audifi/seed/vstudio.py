"""V Studio: one simulation (``Studio``) for the full seed and appended days.  All of a session is
keyed by its number or drawn from its own stream, so its row is a function of (session, as-of)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psycopg

from audifi.seed import keyed, tsv
from audifi.seed.artists import Follows, numbered
from audifi.seed.billing import Cover
from audifi.seed.context import Run
from audifi.seed.copy_loader import Frame, RowBuffer, TableWriter
from audifi.seed.identity import N_ADMINS, PLATFORM_ADMIN, Lifecycle, user_addresses
from audifi.seed.ids import IdFactory
from audifi.seed.scales import Scale
from audifi.seed.timeline import DAY, NEVER
from oltp.vstudio import EngagementEventType

DP_TYPES = ["poll", "binary", "slider", "ranking", "open_text"]
EVENT_TYPES = [t.value for t in EngagementEventType]  # the enum, in declared order
REACTIONS = ["fire", "heart", "clap", "wow"]
EVENT_DATA = [f'{{"emoji":"{r}"}}' for r in REACTIONS] + ['{"channel":"x"}']  # then a share's
NFT_HOLDER_WEIGHT = 1.5  # a vote's weight when the voter holds the master's NFT
SUPERFAN_WEIGHT = 2.0  # ... when the voter follows the artist (superfans rule)
SESSION_TYPES = ["cover_art", "mix_feedback", "tracklist", "listening_party"]
SESSION_FATES = {"completed": 0.75, "ipo_launched": 0.1, "cancelled": 0.05, "locked": 0.1}
CANCELLED = "cancelled"
LIVE_AFTER = 120  # a session goes live two minutes after its scheduled start
NON_HOLDER_RULES = ["open", "authenticated", "subscribers", "superfans", "whitelist"]
RULES = [*NON_HOLDER_RULES, "nft_holders", "coin_holders"]
# session n's rows are numbered n * PER_SESSION + k; votes d * POINT_VOTES + k by point; events
# j * PER_PARTICIPANT + k by participant, VIEW_EVENTS + k of visitors, VOTE_EVENTS + the vote's k
PER_SESSION, POINT_VOTES, PER_PARTICIPANT = 10**8, 10**5, 100
VIEW_EVENTS, VOTE_EVENTS = 2 * 10**7, 4 * 10**7
VERIFIED = ("verified_nft_holder", "verified_coin_holder", "verified_subscriber")  # a vote's flags
TABLES = [f"vstudio_{t}" for t in ("decision_points", "participants", "votes", "chat_messages")]
ENGAGEMENT = ("session", "num", "t", "user", "type", "dp", "data")  # the log's columns


@dataclass
class Facts:
    """What the eligibility rules read (INV-30, ``Studio.vote_flags``), the same on both paths."""

    follows: Follows  # ``artists.Catalogue``
    coins: dict[int, dict[str, int]]  # artist -> holder's address -> when first held
    cover: Cover  # user number -> paid cover (``billing.Billing``)
    # master -> (its first mint, NEVER: none; its tokens' owners' addresses at an instant)
    tokens: Callable[[int], tuple[int, Callable[[int], Container[str]]]]


@dataclass
class Session:
    """Session ``n``'s keyed attributes, and the counters of its run."""

    n: int
    master: int
    announced: int
    start: int
    end: int
    anonymous: bool
    fate: str
    cap: int | None  # max_participants
    participants: int = 0
    votes: int = 0
    peak: int = 0


@dataclass
class Studio:
    """The sessions so far; ``run`` simulates more days."""

    seed: int
    scale: Scale
    users: Lifecycle
    user_ids: list[str]
    masters: dict[str, Any]  # ``artists.Catalogue.run``: id, artist, release (-1: not), pop
    artist_ids: list[str]
    facts: Facts
    n_sessions: int = 0  # sessions announced so far
    sessions: dict[int, Session] = field(default_factory=dict)
    rows: dict[str, RowBuffer] = field(default_factory=lambda: {t: RowBuffer(t) for t in TABLES})
    log: array = field(default_factory=lambda: array("q"))  # ENGAGEMENT's int64s, event by event

    def __post_init__(self) -> None:
        self.ids = IdFactory(self.seed)  # numbered by session on every path
        self.wallets = user_addresses(self.ids, self.users)  # by user number

    def session(self, n: int, master: int, announced: int) -> None:
        u = [float(keyed.uniform(self.seed, "vstudio-session", n, d)) for d in range(7)]
        start = (announced // DAY + 1 + int(u[0] * 5)) * DAY + (17 + int(u[1] * 4)) * 3600
        cap = int(self.scale.viewers_per_session * (0.5 + 2 * u[6])) if u[5] < 0.4 else None
        end = start + (1 + int(u[2] * 3)) * 3600
        odds = list(SESSION_FATES.values())
        fate = list(SESSION_FATES)[int(keyed.categorical(np.array(u[4]), odds))]
        self.sessions[n] = Session(n, master, announced, start, end, u[3] < 0.3, fate, cap)

    def run(self, start: int, end: int) -> None:
        """Announce the sessions of [start, end) and run those that start in it."""
        release, weight = self.masters["release"], self.masters["pop"] + 0.05  # by popularity
        for day in range(start // DAY, end // DAY):
            rng = keyed.day_rng(self.seed, "vstudio", day)
            k = int(rng.poisson(self.scale.sessions / self.scale.days))
            released = np.flatnonzero((release >= 0) & (release <= day * DAY))
            if k and len(released):
                cum = np.cumsum(weight[released])
                picks = np.searchsorted(cum, rng.random(k) * cum[-1], side="right")
                for m in released[picks.clip(0, len(cum) - 1)].tolist():
                    self.session(self.n_sessions, m, day * DAY + 10 * 3600)  # announced at 10:00
                    self.n_sessions += 1
        # by the day they start (a day's sessions start on later days), then by number
        for s in sorted(self.sessions.values(), key=lambda s: (s.start // DAY, s.n)):
            if start // DAY <= s.start // DAY < end // DAY and s.fate != CANCELLED:
                self._run(s)

    def row(self, s: Session, as_of: int) -> dict[str, Any]:
        """Session ``s``'s row as of ``as_of``: scheduled until it starts, then its fate."""
        started = s.start < as_of
        ran = started and s.fate != CANCELLED
        return {
            "id": self._uuid("vstudio_sessions", s.n),
            "master_id": self.masters["id"][s.master],
            "artist_id": self.artist_ids[int(self.masters["artist"][s.master])],
            "title": f"Session {s.n}: shape the release",
            "slug": f"session-{s.n}",
            "session_type": SESSION_TYPES[s.n % 4],
            "status": s.fate if started else "scheduled",
            "scheduled_start_at": s.start,
            "scheduled_end_at": s.end,
            "actual_start_at": s.start + LIVE_AFTER if ran else None,
            "actual_end_at": s.end if ran else None,
            "is_public": True,
            "allow_anonymous": s.anonymous,
            "max_participants": s.cap,
            "background_color": "#1a1a2e",
            "participant_count": s.participants if ran else 0,
            "total_votes": s.votes if ran else 0,
            "peak_concurrent_viewers": s.peak if ran else 0,
            "created_at": s.announced,
            "updated_at": s.end if ran else s.start if started else s.announced,
        }

    def _uuid(self, table: str, n: int) -> str:
        return self.ids.uuids_at(table, [n])[0]

    def _run(self, s: Session) -> None:
        rng = keyed.day_rng(self.seed, "vstudio-run", s.n)
        a0, a1, base = s.start + LIVE_AFTER, s.end, s.n * PER_SESSION
        sid = self._uuid("vstudio_sessions", s.n)
        u = self.users
        pool = np.flatnonzero((u.created < a0) & (u.churn > a0) & (u.number >= N_ADMINS))
        n_p = min(len(pool), max(2, int(self.scale.viewers_per_session * rng.lognormal(-0.3, 0.8))))
        n_p = min(n_p, s.cap) if s.cap is not None else n_p
        pu = np.sort(rng.choice(pool, n_p, replace=False)).tolist()
        # most join early; they stay half an hour on average
        joined = a0 + (rng.beta(1, 3, n_p) * (a1 - a0 - 60)).astype(np.int64)
        left = np.minimum(joined + (rng.exponential(0.5, n_p) * 3600).astype(np.int64) + 60, a1)
        parts: dict[int, dict[str, Any]] = {}  # the participants' rows by user number
        spam = {"moderated_by": self.user_ids[PLATFORM_ADMIN], "moderation_reason": "spam"}
        n_chat = 0
        for j, (p, j0, j1) in enumerate(zip(pu, joined.tolist(), left.tolist(), strict=True)):
            who = {"vstudio_session_id": sid, "user_id": self.user_ids[p]}
            # the participant's events: (type, instant, EVENT_DATA index or -1), in order
            events = [("session_view", j0 - 30, -1), ("session_join", j0, -1)]
            n_reactions = rng.poisson(2.5)
            for _ in range(n_reactions):
                t = int(j0 + rng.random() * (j1 - j0))
                events.append(("reaction", t, int(rng.integers(0, len(REACTIONS)))))
            if rng.random() < 0.1:
                events.append(("share", j1 - 1, len(REACTIONS)))  # EVENT_DATA's {"channel":"x"}
            if rng.random() < 0.05:
                events.append(("bookmark", j0 + 1, -1))
            n_messages = rng.poisson(0.8)
            for _ in range(n_messages):
                t = int(j0 + rng.random() * (j1 - j0))
                events.append(("chat_message", t, -1))
                moderated = bool(rng.random() < 0.03)  # as spam, a minute later
                self.rows["vstudio_chat_messages"].append(
                    {
                        "id": self._uuid("vstudio_chat_messages", base + n_chat),
                        **who,
                        "message": f"love this part! #{n_chat}",
                        "is_moderated": moderated,
                        **({"moderated_at": t + 60, **spam} if moderated else {}),
                        "is_highlighted": bool(rng.random() < 0.05),
                        "is_pinned": False,
                        "created_at": t,
                    }
                )
                n_chat += 1
            parts[p] = {
                "id": self._uuid("vstudio_participants", base + j),
                **who,
                "wallet_address": self.wallets[p],
                "joined_at": j0,
                "left_at": j1,
                "votes_count": 0,
                "messages_count": n_messages,
                "reactions_count": n_reactions,
                "total_time_seconds": j1 - j0,
                "created_at": j0,
                "updated_at": j1,
            }
            for k, (kind, t, data) in enumerate(events):
                self._log(s.n, base + j * PER_PARTICIPANT + k, t, p, kind, data=data)
        views = a0 + (rng.random(rng.poisson(n_p * 1.5)) * (a1 - a0)).astype(np.int64)
        for k, t in enumerate(views.tolist()):
            self._log(s.n, base + VIEW_EVENTS + k, t, -1, "session_view")
        # the most present at once: a join/leave sweep, a leave at the instant of a join first
        marks, deltas = np.r_[joined, left], np.r_[np.ones(n_p), -np.ones(n_p)]
        s.peak = int(np.cumsum(deltas[np.lexsort((deltas, marks))]).max(initial=0))
        s.participants = n_p
        edges = np.linspace(a0, a1, int(rng.integers(2, 6)) + 1).astype(np.int64)  # 2-5 points
        s.votes = sum(self._point(s, d, edges, parts) for d in range(len(edges) - 1))
        self.rows["vstudio_participants"].extend(parts.values())

    def _point(self, s: Session, d: int, cuts: np.ndarray, parts: dict[int, dict[str, Any]]) -> int:
        """Decision point ``d`` of session ``s`` (open [cuts[d], cuts[d + 1])) and its votes."""
        number = s.n * PER_SESSION + d
        rng = keyed.day_rng(self.seed, "vstudio-point", number)  # so its facts shift no other point
        artist = int(self.masters["artist"][s.master])
        d0, d1 = int(cuts[d]), int(cuts[d + 1]) - 1
        kind = DP_TYPES[int(rng.integers(0, 5))]
        u = rng.random(2)  # always two draws: the holder facts do not shift the stream
        rule = RULES[int(u[0] * len(RULES))]
        # a holders' rule needs a mint (a coin) by the point's opening, not by the run's end,
        # which would depend on where a run stops (split invariance)
        has_tokens = self.facts.tokens(s.master)[0] <= d0
        has_coin = min(self.facts.coins.get(artist, {}).values(), default=NEVER) <= d0
        if (rule == "nft_holders" and not has_tokens) or (rule == "coin_holders" and not has_coin):
            rule = NON_HOLDER_RULES[int(u[1] * len(NON_HOLDER_RULES))]
        if s.anonymous and d == 0:  # a session open to anonymous votes opens with an open point
            rule = "open"
        opts = ["yes", "no"]
        if kind != "binary":
            opts = [f"opt{i + 1}" for i in range(int(rng.integers(3, 5)))]
        dp_id = self._uuid("vstudio_decision_points", number)
        sid = self._uuid("vstudio_sessions", s.n)
        # drawn whatever the rule, which keeps the stream
        listed = [p for p, x in zip(parts, rng.random(len(parts)).tolist(), strict=True) if x < 0.3]

        def voters() -> Iterator[tuple[int, int, dict[str, Any]]]:
            """Each vote's instant, user (-1: an anonymous visitor) and flags, in order."""
            for p, part in parts.items():
                j0 = part["joined_at"]
                if j0 >= d1 or rng.random() > 0.65:  # joined after it closed, or does not vote
                    continue
                t = int(max(j0, d0) + rng.random() * (d1 - max(j0, d0)))
                if (flags := self.vote_flags(rule, t, p, s, listed)) is not None:
                    part["votes_count"] += 1
                    yield t, p, flags
            if s.anonymous and rule == "open":
                for _ in range(rng.poisson(len(parts) * 0.3)):
                    yield int(d0 + rng.random() * (d1 - d0)), -1, {}

        total, tally = 0, {}  # votes, and identified votes by option, slider value or "text"
        # ``voters`` is consumed lazily: a vote's content comes from the stream right after its
        # voter's draws, so making it a list would change every vote after the first
        for t, p, flags in voters():
            k = s.n * PER_SESSION + d * POINT_VOTES + total  # the point's votes from 0
            total += 1
            if kind in ("poll", "binary"):
                content = {"option_selected": opts[int(rng.integers(0, len(opts)))]}
            elif kind == "slider":
                content = {"slider_value": f"{int(rng.integers(0, 21)) * 5}.00"}
            elif kind == "ranking":
                content = {"ranking_order": [opts[i] for i in rng.permutation(len(opts)).tolist()]}
            else:
                content = {"text_response": f"idea {int(rng.integers(0, 10**6))}"}
            if p >= 0:
                key = content.get("option_selected") or str(content.get("slider_value", "text"))
                tally[key] = tally.get(key, 0) + 1
            self.rows["vstudio_votes"].append(
                {
                    "id": self._uuid("vstudio_votes", k),
                    "decision_point_id": dp_id,
                    "vstudio_session_id": sid,
                    "weight": "1.0000",
                    **dict.fromkeys(VERIFIED, False),
                    **flags,
                    **content,
                    "user_id": self.user_ids[p] if p >= 0 else None,
                    "wallet_address": self.wallets[p] if p >= 0 else None,
                    "anonymous_id": f"anon-{rng.integers(1 << 40):010x}" if p < 0 else None,
                    "client_ip_hash": f"{(p * 2654435761) % 2**64:016x}" * 4 if p >= 0 else None,
                    "user_agent": "Mozilla/5.0 (AudiFi Web)" if p >= 0 else None,
                    "created_at": t,
                    "updated_at": t,
                }
            )
            self._log(s.n, VOTE_EVENTS + k, t, p, "vote_cast", number)
        options = [{"id": o, "label": o.upper()} for o in opts]
        listed_ids = [self.user_ids[p] for p in listed]
        slider, closed = kind == "slider", d1 + 60  # closed a minute after its interval
        self.rows["vstudio_decision_points"].append(
            {
                "id": dp_id,
                "vstudio_session_id": sid,
                "type": kind,
                "label": f"Decision {d + 1}",
                "options": None if kind in ("slider", "open_text") else options,
                **({"slider_min": 0, "slider_max": 100, "slider_step": 5} if slider else {}),
                "slider_labels": {"min": "calm", "max": "wild"} if slider else None,
                "eligibility_rule": rule,
                "eligibility_config": {"userIds": listed_ids} if rule == "whitelist" else None,
                "superfan_weight_multiplier": f"{SUPERFAN_WEIGHT:.2f}",
                "nft_holder_weight": f"{NFT_HOLDER_WEIGHT:.2f}",
                "start_time": d0,
                "end_time": d1,
                "is_active": False,
                "display_order": d,
                "results_json": {"totalVotes": total, "tally": tally},
                "results_computed_at": closed,
                "created_at": int(cuts[0]) - 3600,  # an hour before the session goes live
                "updated_at": closed,
            }
        )
        return total

    def vote_flags(
        self, rule: str, t: int, p: int, s: Session, listed: Container[int]
    ) -> dict[str, Any] | None:
        """The eligibility rule (INV-30): user ``p``'s vote's flags and weight, None if barred."""
        wallet, artist, facts = self.wallets[p], int(self.masters["artist"][s.master]), self.facts
        c0, c1 = facts.cover.get(p, (NEVER, 0))
        if rule == "nft_holders" and wallet is not None and wallet in facts.tokens(s.master)[1](t):
            return {"verified_nft_holder": True, "weight": f"{NFT_HOLDER_WEIGHT:.4f}"}
        if rule == "coin_holders" and facts.coins.get(artist, {}).get(wallet, NEVER) <= t:
            return {"verified_coin_holder": True}  # held since before the vote
        if rule == "subscribers" and c0 <= t <= c1:
            return {"verified_subscriber": True}
        if rule == "superfans" and facts.follows.get(artist, {}).get(p, NEVER) <= t:
            return {"weight": f"{SUPERFAN_WEIGHT:.4f}"}
        if rule in ("open", "authenticated") or (rule == "whitelist" and p in listed):
            return {}
        return None

    def _log(self, n: int, k: int, t: int, p: int, kind: str, dp: int = -1, data: int = -1) -> None:
        """Engagement event ``k`` of session ``n`` (-1: no user, decision point or EVENT_DATA)."""
        self.log.extend((n, k, t, p, EVENT_TYPES.index(kind), dp, data))

    def run_and_write(self, out: TableWriter, start: int, end: int) -> list[dict[str, Any]]:
        """Run [start, end) and write it as of ``end``; return the stored sessions that moved on."""
        self.run(start, end)
        rows = [self.row(s, end) for s in self.sessions.values()]
        out.copy_rows("vstudio_sessions", [r for r in rows if r["created_at"] >= start])
        for table, buffer in self.rows.items():
            out.copy_rows(table, buffer)
        frames, total = self.engagement_frames(), len(self.log) // len(ENGAGEMENT)
        out.copy_frames("vstudio_engagement_events", frames, total=total)
        return [r for r in rows if r["created_at"] < start and r["status"] != "scheduled"]

    def engagement_frames(self) -> Iterator[Frame]:
        e = np.frombuffer(self.log, [(c, np.int64) for c in ENGAGEMENT])  # a record per event
        users = tsv.with_null(tsv.as_bytes(self.user_ids))
        wallets = tsv.with_null(tsv.as_bytes([w or "\\N" for w in self.wallets]))
        data, types = tsv.with_null(tsv.as_bytes(EVENT_DATA)), tsv.as_bytes(EVENT_TYPES)
        for s in tsv.chunks(len(e)):
            dp, u = e["dp"][s], e["user"][s]
            yield {
                "id": self.ids.uuid_array_at("vstudio_engagement_events", e["num"][s]),
                "vstudio_session_id": self.ids.uuid_array_at("vstudio_sessions", e["session"][s]),
                "user_id": users[u],
                "wallet_address": wallets[u],
                "event_type": types[e["type"][s]],
                "event_data": data[e["data"][s]],
                "decision_point_id": tsv.null_unless(
                    dp >= 0, self.ids.uuid_array_at("vstudio_decision_points", np.maximum(dp, 0))
                ),
                "created_at": tsv.timestamps(e["t"][s]),
            }


SESSIONS_SQL = """SELECT slug, master_id::text, extract(epoch FROM created_at)::bigint,
       status = 'scheduled' FROM oltp.vstudio_sessions"""


def stored_sessions(conn: psycopg.Connection) -> list[tuple]:
    """The stored sessions by number: (number, master id, announced, still scheduled)."""
    return numbered(conn.execute(SESSIONS_SQL).fetchall(), "session-")


def write_vstudio(out: TableWriter, w: Run, facts: Facts, stored: Sequence[tuple]) -> None:
    """The run's sessions by ``Studio``: new ones, and the ``stored`` scheduled ones moved on."""
    m, aids = w.catalogue["masters"], w.catalogue["artists"]["id"]
    studio = Studio(w.seed, w.scale, *w.users, m, aids, facts, n_sessions=len(stored))
    master_number = {mid: n for n, mid in enumerate(m["id"])}
    for n, mid, announced, scheduled in stored:
        if scheduled:
            studio.session(n, master_number[mid], announced)
    moved = studio.run_and_write(out, w.start, w.end)
    out.update("vstudio_sessions", moved)  # rewritten whole
