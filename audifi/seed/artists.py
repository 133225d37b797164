"""Artists, producers, follows, masters (with their lifecycle) and collaborator splits.

One simulation (``Catalogue``) for the full seed and for appended days.  Day by day, from each
day's keyed stream: artists and producers arrive (users who may create, ``identity
.Lifecycle.creator``), artists' masters are created at a rate keyed by the artist, and users
follow artists by popularity.  A master's lifecycle (draft -> pending -> approved, its release,
-> live -> archived) and its collaborators are keyed by its number, so its row at any "as of"
instant is a function of the master (``master_rows``); appended days move stored masters on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import psycopg

from audifi.seed import keyed
from audifi.seed.append_state import Window
from audifi.seed.context import COUNTRIES, GENRES, Ctx, user_countries
from audifi.seed.copy_loader import Loader
from audifi.seed.identity import (
    CHURN_SHARE,
    EVM_SHARE,
    N_ADMINS,
    PLATFORM_ADMIN,
    STATUS_MIX,
    Lifecycle,
    role_id,
    role_row,
)
from audifi.seed.ids import IdFactory, hex_digest
from audifi.seed.scales import Scale
from audifi.seed.timeline import AS_OF, DAY

WORDS = [
    "Midnight",
    "Neon",
    "Echo",
    "Gold",
    "Velvet",
    "Static",
    "Ocean",
    "Ember",
    "Paper",
    "Glass",
    "Wild",
    "Silver",
    "Lunar",
    "Fading",
    "Electric",
    "Quiet",
    "Heavy",
    "Sun",
]
NOUNS = [
    "Dreams",
    "Signals",
    "Hearts",
    "Lights",
    "Streets",
    "Waves",
    "Rooms",
    "Skies",
    "Roads",
    "Tides",
    "Machines",
    "Gardens",
    "Letters",
    "Horizons",
]
MOODS = ["chill", "energetic", "dark", "uplifting", "melancholic", "dreamy", "groovy"]
ROLES = ["producer", "mixer", "mastering engineer", "featured artist", "songwriter"]


# A user who may create (``identity.Lifecycle.creator``: about 31 % of sign-ups) becomes an
# artist or a producer on average 10 days after signing up, with odds that favour early
# sign-ups (weight (1 - x)^2 + 0.3 at share x of the history; 0.3 after it), so that a
# scale's history holds about ``scale.artists`` artists and ``scale.producers`` producers.
CREATOR_SHARE = STATUS_MIX[0] * (1 - CHURN_SHARE) * EVM_SHARE
CREATOR_FLOOR = 0.3
# the weight's mean over the history's sign-ups (density 1.25 x^0.25 on [0, 1])
CREATOR_MEAN_WEIGHT = 1.25 * (1 / 1.25 - 2 / 2.25 + 1 / 3.25) + CREATOR_FLOOR
CREATOR_DELAY_DAYS = 10
FOLLOWS_PER_USER = 6  # follows a user makes over a history's length, by artist popularity
# where a master's lifecycle stops: most go live, some stay approved (released, not published)
FATES = np.array(["draft", "pending", "approved", "live"])
FATE_MIX = [0.04, 0.03, 0.13, 0.80]
ARCHIVED_SHARE = 0.15  # of the masters that go live
COLLABORATORS = [0.3, 0.4, 0.2, 0.1]  # P(0..3 collaborators)


@dataclass
class Masters:
    """The keyed lifecycle of masters (by number) created at ``created``."""

    seed: int
    number: np.ndarray
    created: np.ndarray

    def _u(self, draw: int) -> np.ndarray:
        return keyed.uniform(self.seed, "master", self.number, draw)

    def stages(self) -> dict[str, np.ndarray]:
        """When each stage is reached (NEVER if the master's fate stops before it)."""
        fate = keyed.categorical(self._u(0), FATE_MIX)
        pending = self.created + ((0.5 + 3.5 * self._u(1)) * DAY).astype(np.int64)
        approved = pending + ((0.5 + 3.5 * self._u(2)) * DAY).astype(np.int64)
        live = approved + ((1 + 9 * self._u(3)) * DAY).astype(np.int64)
        archived = live + ((30 + 170 * self._u(5)) * DAY).astype(np.int64)
        never = np.iinfo(np.int64).max // 4
        return {
            "pending": np.where(fate >= 1, pending, never),
            "approved": np.where(fate >= 2, approved, never),
            "live": np.where(fate >= 3, live, never),
            "archived": np.where((fate >= 3) & (self._u(4) < ARCHIVED_SHARE), archived, never),
        }

    def as_of(self, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(status, release instant or -1, instant of the last change) at ``t``."""
        stages = self.stages()
        status = np.full(len(self.number), "draft", dtype=object)
        changed = self.created.copy()
        for name, at in stages.items():
            reached = at <= t
            status[reached] = name
            changed = np.where(reached, at, changed)
        release = np.where(stages["approved"] <= t, stages["approved"], -1)
        return status.astype(str), release, changed

    @property
    def duration(self) -> np.ndarray:
        return 120 + (self._u(6) * 300).astype(np.int64)


def master_rows(
    ids: IdFactory, life: Masters, artist_ids: list[str], genres: list[str], t: int
) -> list[dict]:
    """The masters as of ``t`` (status, release and publication move with it)."""
    status, release, changed = life.as_of(t)
    duration = life.duration
    mids = ids.uuids_at("masters", life.number.tolist())
    return [
        master_row(
            life.seed,
            int(i),
            mids[k],
            artist_ids[k],
            str(status[k]),
            genres[k],
            int(duration[k]),
            int(life.created[k]),
            int(release[k]) if release[k] >= 0 else None,
        )
        | {"updated_at": int(changed[k])}
        for k, i in enumerate(life.number)
    ]


def collaborator_rows(
    ids: IdFactory, life: Masters, mids: list[str], producers: list[str], p_created: np.ndarray
) -> list[dict]:
    """Each master's 0-3 collaborators, credited at its creation: 60 % a producer already on
    the platform (at most once per master), else a guest; splits 300-2500 bps each."""
    count = keyed.categorical(life._u(7), COLLABORATORS)
    on_platform = np.searchsorted(p_created, life.created, side="right")
    rows = []
    for k, i in enumerate(life.number.tolist()):
        credited: set[int] = set()
        for j in range(int(count[k])):
            u = (
                keyed.uniform(life.seed, "collaborator", i * 4 + j, 0)[()],
                keyed.uniform(life.seed, "collaborator", i * 4 + j, 1)[()],
            )
            split = int(3 + u[1] * 23) * 100
            p = int(u[0] / 0.6 * on_platform[k]) if u[0] < 0.6 and on_platform[k] else -1
            if p in credited:
                p = -1
            credited.add(p)
            t = int(life.created[k])
            rows.append(
                {
                    "id": ids.uuids_at("master_collaborators", [i * 4 + j])[0],
                    "master_id": mids[k],
                    "producer_id": producers[p] if p >= 0 else None,
                    "collaborator_name": None if p >= 0 else f"Guest {i}-{j}",
                    "role": ROLES[0] if p >= 0 else ROLES[1 + (i + j) % 4],
                    "split_basis_points": split,
                    "display_order": j,
                    "created_at": t,
                    "updated_at": t,
                }
            )
    return rows


def producer_row(k: int, pid: str, uid: str, t: int) -> dict:
    """Producer number ``k``, with no credits yet."""
    return {
        "id": pid,
        "user_id": uid,
        "producer_name": f"Producer {k}",
        "slug": f"producer-{k}",
        "bio": None,
        "specialty": GENRES[k % len(GENRES)],
        "profile_image_url": None,
        "social_links": {"twitter": f"@prod{k}"},
        "is_verified": k % 3 == 0,
        "verified_at": t if k % 3 == 0 else None,
        "is_active": True,
        "total_credits": 0,
        "created_at": t,
        "updated_at": t,
    }


@dataclass
class Catalogue:
    """The artists, producers, masters and follows so far; ``run`` simulates more days."""

    seed: int
    scale: Scale
    origin: int
    ids: IdFactory
    users: Lifecycle
    user_ids: list[str]
    roles: dict[str, str]  # role name -> id
    artist_user: list[int] = field(default_factory=list)  # user number of artist k
    artist_created: list[int] = field(default_factory=list)
    producer_user: list[int] = field(default_factory=list)
    producer_created: list[int] = field(default_factory=list)
    master_artist: list[int] = field(default_factory=list)
    master_created: list[int] = field(default_factory=list)
    follows: set[tuple[int, int]] = field(default_factory=set)  # (artist, user number)
    n_follows: int = 0
    out: dict[str, list[dict]] = field(default_factory=dict)

    def artist_ids(self, ks: list[int] | range) -> list[str]:
        return self.ids.uuids_at("artists", ks)

    def genre(self, ks: np.ndarray) -> np.ndarray:
        return (keyed.uniform(self.seed, "artist", ks) * len(GENRES)).astype(int)

    def popularity(self) -> np.ndarray:
        return keyed.artist_popularity(self.seed, self.artist_ids(range(len(self.artist_user))))

    def run(self, start: int, end: int) -> None:
        """Add the artists, producers, masters and follows of [start, end) to ``out``."""
        for table in ("artists", "producers", "user_roles", "masters", "artist_follows"):
            self.out.setdefault(table, [])
        arrive = self._arrivals(start, end)
        first_master = len(self.master_created)
        days = range(start // DAY, end // DAY)
        for day in days:
            self._masters(day)
            self._follows(day)
            for t, u, kind in (a for a in arrive if a[0] // DAY == day):
                self._creator(kind, u, t)
        self._master_rows(first_master, end)

    def _arrivals(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(instant, user number, "artist"/"producer") of the creators arriving in [start, end):
        each creator's fate and delay are keyed by the user's number."""
        life, sc = self.users, self.scale
        fans = max(1.0, CREATOR_SHARE * (sc.users - N_ADMINS))
        x = np.minimum(1.0, (life.created - self.origin) / (sc.days * DAY))
        odds = ((1 - x) ** 2 + CREATOR_FLOOR) / CREATOR_MEAN_WEIGHT / fans
        u = keyed.uniform(self.seed, "creator", life.number)
        artist, producer = u < sc.artists * odds, u < (sc.artists + sc.producers) * odds
        kind = np.where(artist, 0, np.where(producer, 1, -1))
        delay = keyed.exponential(self.seed, "creator", life.number, 1) * CREATOR_DELAY_DAYS * DAY
        t = life.created + 3600 + delay.astype(np.int64)
        who = np.flatnonzero(life.creator & (kind >= 0) & (t >= start) & (t < end))
        kinds = ("artist", "producer")
        return sorted((int(t[i]), int(life.number[i]), kinds[kind[i]]) for i in who)

    def _creator(self, kind: str, u: int, t: int) -> None:
        """User number ``u`` becomes an artist or producer at ``t``."""
        uid, admin = self.user_ids[u], self.user_ids[PLATFORM_ADMIN]
        role = role_row(role_id(self.ids, u, kind), uid, kind, self.roles[kind], t, admin)
        self.out["user_roles"].append(role)
        if kind == "producer":
            k = len(self.producer_user)
            self.producer_user.append(u)
            self.producer_created.append(t)
            pid = self.ids.uuids_at("producers", [k])[0]
            self.out["producers"].append(producer_row(k, pid, uid, t))
            return
        k = len(self.artist_user)
        self.artist_user.append(u)
        self.artist_created.append(t)
        aid = self.artist_ids([k])[0]
        pop = keyed.artist_popularity(self.seed, [aid])[0]
        country = str(COUNTRIES[user_countries(self.seed, [uid])[0]])
        genre = GENRES[int(self.genre(np.array([k]))[0])]
        self.out["artists"].append(artist_row(k, aid, uid, genre, country, bool(pop > 1.5), t))

    def _masters(self, day: int) -> None:
        """Each artist active before the day creates Poisson(rate) masters on it: the artist's
        keyed count over the rest of the history (mean ``masters_per_artist``)."""
        n = int(np.searchsorted(self.artist_created, day * DAY))
        if n == 0:
            return
        ks = np.arange(n)
        mean = np.log(self.scale.masters_per_artist) - 0.3
        per = np.maximum(1, np.round(np.exp(mean + 0.8 * keyed.normal(self.seed, "per", ks))))
        left = np.maximum(30 * DAY, AS_OF - np.asarray(self.artist_created[:n])) / DAY
        rng = keyed.day_rng(self.seed, "masters", day)
        count = rng.poisson(per / left)
        artist = np.repeat(ks, count)
        t = day * DAY + rng.integers(0, DAY, len(artist))
        order = np.lexsort((artist, t))
        self.master_artist += artist[order].tolist()
        self.master_created += t[order].tolist()

    def _follows(self, day: int) -> None:
        """Users signed up before the day follow artists by popularity (once per pair)."""
        n_art = int(np.searchsorted(self.artist_created, day * DAY))
        n_users = int(np.searchsorted(self.users.created, day * DAY))
        if n_art == 0 or n_users == 0:
            return
        rng = keyed.day_rng(self.seed, "follows", day)
        n = rng.poisson(FOLLOWS_PER_USER * n_users / self.scale.days)
        cum = np.cumsum(self.popularity()[:n_art])
        artist = np.searchsorted(cum, rng.random(n) * cum[-1], side="right").clip(0, n_art - 1)
        user = rng.integers(0, n_users, n)
        t = day * DAY + np.sort(rng.integers(0, DAY, n))
        a_ids = self.artist_ids(range(n_art))
        for a, u, when in zip(artist.tolist(), user.tolist(), t.tolist(), strict=True):
            if (a, u) in self.follows:
                continue
            self.follows.add((a, u))
            fid = self.ids.uuids_at("artist_follows", [self.n_follows])[0]
            self.n_follows += 1
            self.out["artist_follows"].append(
                {
                    "id": fid,
                    "artist_id": a_ids[a],
                    "follower_id": self.user_ids[u],
                    "created_at": when,
                }
            )

    def _master_rows(self, first: int, t: int) -> None:
        number = np.arange(first, len(self.master_created))
        life = Masters(self.seed, number, np.asarray(self.master_created[first:], np.int64))
        artist = [self.master_artist[i] for i in number.tolist()]
        a_ids = self.artist_ids(artist)
        genres = [GENRES[g] for g in self.genre(np.asarray(artist, np.int64)).tolist()]
        rows = master_rows(self.ids, life, a_ids, genres, t)
        self.out["masters"] = rows
        producers = self.ids.uuids_at("producers", range(len(self.producer_user)))
        self.out["master_collaborators"] = collaborator_rows(
            self.ids, life, [r["id"] for r in rows], producers, np.asarray(self.producer_created)
        )


def generate_artists(ctx: Ctx) -> None:
    """The full seed's catalogue: ``Catalogue.run`` over the history from nothing."""
    users = ctx.dims["users"]
    cat = Catalogue(
        ctx.seed,
        ctx.scale,
        ctx.start,
        ctx.ids,
        ctx.dims["lifecycle"],
        users["id"],
        ctx.dims["role_id"],
    )
    cat.run(ctx.start, ctx.end)
    ctx.rows["user_roles"].extend(cat.out["user_roles"])
    n = len(cat.artist_user)
    a_created = np.asarray(cat.artist_created, np.int64)
    pop = cat.popularity()
    ctx.dims["artist_users"] = np.asarray(cat.artist_user, np.int64)
    ctx.dims["artists"] = {
        "id": cat.artist_ids(range(n)),
        "user": ctx.dims["artist_users"],
        "created": a_created,
        "pop": pop,
        "genre": cat.genre(np.arange(n)),
    }
    ctx.dims["producers"] = {
        "id": [r["id"] for r in cat.out["producers"]],
        "created": np.asarray(cat.producer_created, np.int64),
    }
    masters = cat.out["masters"]
    m_artist = np.asarray(cat.master_artist, np.int64)
    life = Masters(ctx.seed, np.arange(len(masters)), np.asarray(cat.master_created, np.int64))
    status, release, _ = life.as_of(ctx.end)
    m_ids = [r["id"] for r in masters]
    ctx.dims["masters"] = {
        "id": m_ids,
        "artist": m_artist,
        "created": life.created,
        "status": status,
        "release": release,
        "duration": life.duration,
        "pop": np.where(
            release >= 0,
            keyed.master_popularity(
                ctx.seed, [ctx.dims["artists"]["id"][a] for a in m_artist], m_ids
            ),
            0.0,
        ),
    }
    follows: dict[int, tuple[list[int], list[int]]] = {}
    user_number = {uid: i for i, uid in enumerate(users["id"])}
    artist_number = {aid: k for k, aid in enumerate(ctx.dims["artists"]["id"])}
    for f in cat.out["artist_follows"]:
        fl = follows.setdefault(artist_number[f["artist_id"]], ([], []))
        fl[0].append(user_number[f["follower_id"]])
        fl[1].append(f["created_at"])
    ctx.dims["follows"] = {k: (np.asarray(u), np.asarray(t)) for k, (u, t) in follows.items()}
    credits = np.zeros(len(cat.producer_user), int)
    p_index = {pid: k for k, pid in enumerate(ctx.dims["producers"]["id"])}
    for c in cat.out["master_collaborators"]:
        if c["producer_id"] is not None:
            credits[p_index[c["producer_id"]]] += 1
    for k, row in enumerate(cat.out["producers"]):
        row["total_credits"] = int(credits[k])
    per_artist = np.bincount(m_artist, minlength=n)
    followers = np.bincount(
        [artist_number[f["artist_id"]] for f in cat.out["artist_follows"]], minlength=n
    )
    for k, row in enumerate(cat.out["artists"]):
        row.update(total_masters=int(per_artist[k]), follower_count=int(followers[k]))
    for table in ("artists", "producers", "artist_follows", "masters", "master_collaborators"):
        ctx.rows[table] = cat.out[table]


def artist_row(
    k: int, aid: str, uid: str, genre: str, location: str, verified: bool, t: int
) -> dict:
    """Artist number ``k``, with no masters, sales or followers yet."""
    name = f"{WORDS[k % len(WORDS)]} {NOUNS[(k * 5) % len(NOUNS)]} {k}"
    return {
        "id": aid,
        "user_id": uid,
        "artist_name": name,
        "slug": f"artist-{k}",
        "bio": f"{name} makes {genre} music.",
        "short_bio": f"{genre} artist",
        "genre": genre,
        "location": location,
        "profile_image_url": f"https://cdn.audifi.test/artists/{k}.jpg",
        "banner_image_url": None,
        "social_links": {"instagram": f"@artist{k}", "website": f"https://artist{k}.test"},
        "music_platforms": {"spotify": f"spotify:artist:{k}"},
        "is_verified": verified,
        "verified_at": t + 7 * DAY if verified else None,
        "is_active": True,
        "total_masters": 0,
        "total_sales": 0,  # set once the NFT history exists
        "follower_count": 0,
        "created_at": t,
        "updated_at": t,
    }


def master_row(
    seed: int,
    i: int,
    mid: str,
    aid: str,
    status: str,
    genre: str,
    duration: int,
    created: int,
    release: int | None,
) -> dict:
    """Master number ``i``; ``release`` is None unless approved, live or archived."""
    published = release if status in ("live", "archived") else None
    return {
        "id": mid,
        "artist_id": aid,
        "title": f"{WORDS[(i * 3) % len(WORDS)]} {NOUNS[i % len(NOUNS)]}",
        "description": None if i % 3 else "Original master recording",
        "master_type": "album" if i % 17 == 0 else "track",
        "status": status,
        "genre": genre,
        "bpm": int(70 + (i * 37) % 110),
        "duration": duration,
        "release_date": release,
        "isrc": f"US{'A' if i % 2 else 'B'}F{24 + i % 2}{i % 100000:05d}"[:12],
        "mood_tags": [MOODS[i % len(MOODS)], MOODS[(i * 3 + 1) % len(MOODS)]],
        "audio_file_name": f"master_{i}.wav",
        "audio_ipfs_hash": "Qm" + hex_digest(seed, "audio", i, size=22),
        "cover_image_url": f"https://cdn.audifi.test/covers/{i}.jpg",
        "cover_image_ipfs_hash": "Qm" + hex_digest(seed, "cover", i, size=22),
        "metadata_ipfs_hash": "Qm" + hex_digest(seed, "meta", i, size=22) if published else None,
        "metadata": {"explicit": bool(i % 11 == 0)},
        "created_at": created,
        "updated_at": max(created, release or 0),
        "published_at": published,
    }


# -- appended days: the stored catalogue read back, then ``Catalogue.run`` over the window

MASTER_MOVES = ("status", "release_date", "published_at", "metadata_ipfs_hash", "updated_at")


def _numbered(rows: list[tuple], prefix: str) -> list[tuple]:
    """Rows whose first column ends in their number (``artist-7``), in number order."""
    return sorted((int(str(r[0]).removeprefix(prefix).split(".")[0]), *r[1:]) for r in rows)


def append_catalogue(conn: psycopg.Connection, writer: Loader, w: Window) -> list[dict]:
    """The window's artists, producers (with their roles), masters, collaborators and follows;
    stored masters move on to the window's end.  Returns the new masters (for the audit log)."""
    ids = IdFactory(w.seed)  # the catalogue is numbered by entity, as in the full seed
    life, user_ids = w.users
    number = {uid: i for i, uid in enumerate(user_ids)}
    roles = dict(conn.execute("SELECT name::text, id::text FROM oltp.roles").fetchall())
    cat = Catalogue(w.seed, w.scale, w.origin, ids, life, user_ids, roles)

    def people(table: str, prefix: str) -> tuple[list[int], list[int]]:
        rows = conn.execute(
            f"SELECT slug, user_id::text, extract(epoch FROM created_at)::bigint FROM oltp.{table}"
        ).fetchall()
        rows = _numbered(rows, prefix)
        return [number[r[1]] for r in rows], [r[2] for r in rows]

    cat.artist_user, cat.artist_created = people("artists", "artist-")
    cat.producer_user, cat.producer_created = people("producers", "producer-")
    artist_number = {aid: k for k, aid in enumerate(cat.artist_ids(range(len(cat.artist_user))))}
    masters = _numbered(
        conn.execute(
            "SELECT audio_file_name, artist_id::text, extract(epoch FROM created_at)::bigint "
            "FROM oltp.masters"
        ).fetchall(),
        "master_",
    )
    cat.master_artist = [artist_number[r[1]] for r in masters]
    cat.master_created = [r[2] for r in masters]
    cat.follows = {
        (artist_number[a], number[u])
        for a, u in conn.execute(
            "SELECT artist_id::text, follower_id::text FROM oltp.artist_follows"
        )
    }
    cat.n_follows = len(cat.follows)
    cat.run(w.start, w.end)
    for table in (
        "artists",
        "producers",
        "user_roles",
        "masters",
        "master_collaborators",
        "artist_follows",
    ):
        writer.copy_rows(table, cat.out[table])
    stored = Masters(w.seed, np.arange(len(masters)), np.array([r[2] for r in masters], np.int64))
    artist = cat.master_artist[: len(masters)]
    genres = [GENRES[g] for g in cat.genre(np.asarray(artist, np.int64)).tolist()]
    rows = master_rows(ids, stored, cat.artist_ids(artist), genres, w.end)
    writer.update(
        "masters", [{k: r[k] for k in ("id", *MASTER_MOVES)} for r in rows], list(MASTER_MOVES)
    )
    return cat.out["masters"]
