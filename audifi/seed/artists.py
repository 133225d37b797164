"""Artists, producers, follows, masters and collaborator splits: one simulation (``Catalogue``)
for both paths; a master's lifecycle and collaborators are keyed by its number."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psycopg

from audifi.seed import identity, keyed
from audifi.seed.context import COUNTRIES, GENRES, Run, user_countries
from audifi.seed.copy_loader import TableWriter
from audifi.seed.ids import hex_digest
from audifi.seed.timeline import AS_OF, DAY, NEVER, after

# fmt: off
WORDS = ["Midnight", "Neon", "Echo", "Gold", "Velvet", "Static", "Ocean", "Ember", "Paper", "Glass",
         "Wild", "Silver", "Lunar", "Fading", "Electric", "Quiet", "Heavy", "Sun"]
NOUNS = ["Dreams", "Signals", "Hearts", "Lights", "Streets", "Waves", "Rooms", "Skies", "Roads",
         "Tides", "Machines", "Gardens", "Letters", "Horizons"]
# each stage after draft: its delay's keyed draw and days after the stage before (min + span * u)
STAGES = {"pending": (1, 0.5, 3.5), "approved": (2, 0.5, 3.5), "live": (3, 1, 9),
          "archived": (5, 30, 170)}
# fmt: on
MOODS = ["chill", "energetic", "dark", "uplifting", "melancholic", "dreamy", "groovy"]
ROLES = ["producer", "mixer", "mastering engineer", "featured artist", "songwriter"]
# the catalogue's tables, in an order their foreign keys allow writing them in
TABLES = ("artists", "producers", "user_roles", "masters", "master_collaborators", "artist_follows")
# A user who may create (``identity.Lifecycle.creator``) becomes an artist or a producer with odds
# weighted (1 - x)^2 + 0.3 at share x of the history (0.3 after it), totalling the scale's counts.
CREATOR_SHARE = identity.STATUS_MIX[0] * (1 - identity.CHURN_SHARE) * identity.EVM_SHARE
CREATOR_FLOOR = 0.3
# the weight's mean over the history's sign-ups (density s x^(s-1) at share x, s = _SHAPE)
_SHAPE = identity.SIGNUP_SHAPE
CREATOR_MEAN_WEIGHT = _SHAPE * (1 / _SHAPE - 2 / (_SHAPE + 1) + 1 / (_SHAPE + 2)) + CREATOR_FLOOR
CREATOR_DELAY_DAYS = 10
FOLLOWS_PER_USER = 6  # follows a user makes over a history's length, by artist popularity
FATE_MIX = [0.04, 0.03, 0.13, 0.80]  # stops at draft, pending, approved (released), live
ARCHIVED_SHARE = 0.15  # of the masters that go live
COLLABORATORS = [0.3, 0.4, 0.2, 0.1]  # P(0..3 collaborators)
Follows = dict[int, dict[int, int]]  # artist number -> {follower's user number: when}


@dataclass
class Masters:
    """The keyed lifecycle of masters (by number) created at ``created``."""

    seed: int
    number: np.ndarray
    created: np.ndarray

    def draw(self, k: int) -> np.ndarray:
        """Keyed uniform ``k`` of each master (0-5: fate and stages, 6: duration, 7: credits)."""
        return keyed.uniform(self.seed, "master", self.number, k)

    def stages(self) -> dict[str, np.ndarray]:
        """When each stage is reached (NEVER if the master's fate stops before it)."""
        fate = keyed.categorical(self.draw(0), FATE_MIX)
        # the last stage reached: a live master may go on to be archived
        last = np.where((fate == 3) & (self.draw(4) < ARCHIVED_SHARE), 4, fate)
        at, out = self.created, {}
        for i, (name, (draw, lo, span)) in enumerate(STAGES.items(), 1):
            at = after(at, (lo, span), self.draw(draw))
            out[name] = np.where(last >= i, at, NEVER)
        return out

    def as_of(self, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(status, release instant or -1, instant of the last change) at ``t``."""
        stages = self.stages()
        at = np.array([self.created, *stages.values()])  # creation, then each stage
        last = (at[1:] <= t).sum(0)  # stages are reached in order: the last one reached
        release = np.where(stages["approved"] <= t, stages["approved"], -1)  # approval releases
        return np.array(["draft", *STAGES])[last], release, at[last, np.arange(len(last))]


@dataclass
class Catalogue:
    """The artists, producers, masters and follows so far; ``run`` simulates more days (once per
    catalogue: it numbers the follows it adds from those it started with)."""

    context: Run  # its seed, scale, origin, ids, users and roles
    artist_user: list[int] = field(default_factory=list)  # user number of artist k
    artist_created: list[int] = field(default_factory=list)
    producer_created: list[int] = field(default_factory=list)
    master_artist: list[int] = field(default_factory=list)
    master_created: list[int] = field(default_factory=list)
    follows: Follows = field(default_factory=dict)
    out: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def __post_init__(self) -> None:
        c = self.context
        self.seed, self.scale, self.origin, self.ids = c.seed, c.scale, c.origin, c.ids
        self.users, self.user_ids = c.users

    def genre(self, ks: np.ndarray) -> np.ndarray:
        return (keyed.uniform(self.seed, "artist", ks) * len(GENRES)).astype(int)

    def run(self, start: int, end: int) -> dict[str, dict[str, Any]]:
        """Simulate [start, end) into ``out``; returns every artist and master at ``end``."""
        arrive, first_master = self._arrivals(start, end), len(self.master_created)
        n_end = len(self.artist_user) + [a[2] for a in arrive].count("artist")  # artists by the end
        a_ids = self.ids.uuids_at("artists", range(n_end))
        cum = np.cumsum(keyed.artist_popularity(self.seed, a_ids))  # the follows' odds
        first_follow = sum(map(len, self.follows.values()))  # follows are numbered in order
        for day in range(start // DAY, end // DAY):
            if k := int(np.searchsorted(self.artist_created, day * DAY)):  # artists before the day
                self._masters(day, k)
                self._follows(day, a_ids, cum[:k], first_follow)
            for t, u, kind in (a for a in arrive if a[0] // DAY == day):
                self._creator(kind, u, t)
        n, artist = len(self.master_created), np.asarray(self.master_artist, np.int64)
        life = Masters(self.seed, np.arange(n), np.asarray(self.master_created, np.int64))
        m_ids, artist_id = self.ids.uuids_at("masters", range(n)), [a_ids[a] for a in artist]
        status, release, changed = life.as_of(end)  # release -1: not released
        pop = np.where(release >= 0, keyed.master_popularity(self.seed, artist_id, m_ids), 0.0)
        m = dict(id=m_ids, artist=artist, artist_id=artist_id, created=life.created, pop=pop)
        m |= dict(duration=120 + (life.draw(6) * 300).astype(np.int64), release=release)
        m |= dict(status=status, changed=changed)  # for ``master_rows``
        new = life.number[first_master:]
        self.out["masters"] = self.master_rows(new, m)
        self.out["master_collaborators"] = list(self._collaborators(life, new, m_ids))
        user, created = (np.asarray(v, np.int64) for v in (self.artist_user, self.artist_created))
        return {"artists": dict(id=a_ids, user=user, created=created), "masters": m}

    def master_rows(self, number: np.ndarray, m: dict[str, Any]) -> list[dict]:
        """The rows of masters ``number``, from every master's columns (as ``run`` returns them)."""
        status, genres = m["status"][number], self.genre(m["artist"][number])
        released = [int(r) if r >= 0 else None for r in m["release"][number]]  # approved or later
        public = np.isin(status, ("live", "archived"))
        return [
            {
                "id": m["id"][i],
                "artist_id": m["artist_id"][i],
                "title": f"{WORDS[(i * 3) % len(WORDS)]} {NOUNS[i % len(NOUNS)]}",
                "description": None if i % 3 else "Original master recording",
                "master_type": "album" if i % 17 == 0 else "track",
                "status": str(status[k]),
                "genre": GENRES[genres[k]],
                "bpm": int(70 + (i * 37) % 110),
                "duration": int(m["duration"][i]),
                "release_date": released[k],
                "isrc": f"US{'A' if i % 2 else 'B'}F{24 + i % 2}{i % 100000:05d}"[:12],
                "mood_tags": [MOODS[i % len(MOODS)], MOODS[(i * 3 + 1) % len(MOODS)]],
                "audio_file_name": f"master_{i}.wav",
                "audio_ipfs_hash": "Qm" + hex_digest(self.seed, "audio", i, size=22),
                "cover_image_url": f"https://cdn.audifi.test/covers/{i}.jpg",
                "cover_image_ipfs_hash": "Qm" + hex_digest(self.seed, "cover", i, size=22),
                "metadata_ipfs_hash": (
                    "Qm" + hex_digest(self.seed, "meta", i, size=22) if public[k] else None
                ),
                "metadata": {"explicit": bool(i % 11 == 0)},
                "created_at": int(m["created"][i]),
                "updated_at": int(m["changed"][i]),
                "published_at": released[k] if public[k] else None,
            }
            for k, i in enumerate(number.tolist())
        ]

    def _collaborators(self, life: Masters, new: np.ndarray, m_ids: list[str]) -> Iterator[dict]:
        """Each new master's collaborators, credited at its creation (a producer at most once)."""
        created, count = life.created[new], keyed.categorical(life.draw(7)[new], COLLABORATORS)
        on_platform = np.searchsorted(np.asarray(self.producer_created), created, "right")
        for k, i in enumerate(new.tolist()):
            credited: set[int] = set()
            for j in range(int(count[k])):
                n = i * 4 + j  # the collaborator's number
                who, split = (keyed.uniform(self.seed, "collaborator", n, d)[()] for d in (0, 1))
                p = int(who / 0.6 * on_platform[k]) if who < 0.6 and on_platform[k] else -1
                p = -1 if p in credited else p
                credited.add(p)
                yield {
                    "id": self.ids.uuids_at("master_collaborators", [n])[0],
                    "master_id": m_ids[i],
                    "producer_id": self.ids.uuids_at("producers", [p])[0] if p >= 0 else None,
                    "collaborator_name": None if p >= 0 else f"Guest {i}-{j}",
                    "role": ROLES[0] if p >= 0 else ROLES[1 + (i + j) % 4],
                    "split_basis_points": int(3 + split * 23) * 100,
                    "display_order": j,
                    **dict.fromkeys(("created_at", "updated_at"), int(created[k])),
                }

    def _arrivals(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(instant, user number, kind) of the creators arriving in [start, end), keyed by user."""
        life, sc = self.users, self.scale
        fans = max(1.0, CREATOR_SHARE * (sc.users - identity.N_ADMINS))
        x = np.minimum(1.0, (life.created - self.origin) / (sc.days * DAY))
        odds = ((1 - x) ** 2 + CREATOR_FLOOR) / CREATOR_MEAN_WEIGHT / fans
        u = keyed.uniform(self.seed, "creator", life.number)
        artist, producer = u < sc.artists * odds, u < (sc.artists + sc.producers) * odds
        kind = np.where(artist, "artist", np.where(producer, "producer", ""))
        delay = keyed.exponential(self.seed, "creator", life.number, 1) * CREATOR_DELAY_DAYS * DAY
        t = life.created + 3600 + delay.astype(np.int64)
        who = np.flatnonzero(life.creator & (kind != "") & (t >= start) & (t < end))
        return sorted((int(t[i]), int(life.number[i]), str(kind[i])) for i in who)

    def _creator(self, kind: str, u: int, t: int) -> None:
        """User ``u`` becomes a ``kind`` at ``t``, counters at 0 (``append.refresh_counters``)."""
        uid = self.user_ids[u]
        self.out["user_roles"].append(identity.role_row(self.ids, u, kind, self.context.roles, t))
        created = self.artist_created if kind == "artist" else self.producer_created
        k = len(created)
        created.append(t)
        kid = self.ids.uuids_at(f"{kind}s", [k])[0]
        row = dict(id=kid, user_id=uid, slug=f"{kind}-{k}", is_active=True)
        if kind == "artist":
            self.artist_user.append(u)
            verified = bool(keyed.artist_popularity(self.seed, [kid])[0] > 1.5)
            genre = GENRES[int(self.genre(np.array([k]))[0])]
            name = f"{WORDS[k % len(WORDS)]} {NOUNS[(k * 5) % len(NOUNS)]} {k}"
            row |= {
                "artist_name": name,
                "bio": f"{name} makes {genre} music.",
                "short_bio": f"{genre} artist",
                "genre": genre,
                "location": str(COUNTRIES[user_countries(self.seed, [uid])[0]]),
                "profile_image_url": f"https://cdn.audifi.test/artists/{k}.jpg",
                "social_links": {"instagram": f"@artist{k}", "website": f"https://artist{k}.test"},
                "music_platforms": {"spotify": f"spotify:artist:{k}"},
                "verified_at": t + 7 * DAY if verified else None,
                **dict.fromkeys(("total_masters", "total_sales", "follower_count"), 0),
            }
        else:
            verified = k % 3 == 0
            row |= {
                "producer_name": f"Producer {k}",
                "specialty": GENRES[k % len(GENRES)],
                "social_links": {"twitter": f"@prod{k}"},
                "verified_at": t if verified else None,
                "total_credits": 0,
            }
        self.out[f"{kind}s"].append(row | dict(is_verified=verified, created_at=t, updated_at=t))

    def _masters(self, day: int, n: int) -> None:
        """Artists ``0..n-1`` create masters on the day at their keyed rate (Poisson)."""
        ks, mean = np.arange(n), np.log(self.scale.masters_per_artist) - 0.3
        per = np.maximum(1, np.round(np.exp(mean + 0.8 * keyed.normal(self.seed, "per", ks))))
        left = np.maximum(30 * DAY, AS_OF - np.asarray(self.artist_created[:n])) / DAY
        rng = keyed.day_rng(self.seed, "masters", day)
        artist = np.repeat(ks, rng.poisson(per / left))
        t = day * DAY + rng.integers(0, DAY, len(artist))
        order = np.lexsort((artist, t))
        self.master_artist += artist[order].tolist()
        self.master_created += t[order].tolist()

    def _follows(self, day: int, a_ids: list[str], cum: np.ndarray, first: int) -> None:
        """Users signed up before the day follow the artists of ``cum`` by popularity, once each."""
        n_users = int(np.searchsorted(self.users.created, day * DAY))  # > 0: the artists' users
        rng = keyed.day_rng(self.seed, "follows", day)
        n = rng.poisson(FOLLOWS_PER_USER * n_users / self.scale.days)
        artist = np.searchsorted(cum, rng.random(n) * cum[-1], side="right").clip(0, len(cum) - 1)
        user = rng.integers(0, n_users, n)
        t = day * DAY + np.sort(rng.integers(0, DAY, n))
        for a, u, when in zip(artist.tolist(), user.tolist(), t.tolist(), strict=True):
            if u in (fans := self.follows.setdefault(a, {})):
                continue
            fans[u] = when
            fid = self.ids.uuids_at("artist_follows", [first + len(self.out["artist_follows"])])[0]
            row = dict(id=fid, artist_id=a_ids[a], follower_id=self.user_ids[u], created_at=when)
            self.out["artist_follows"].append(row)


def number_in(name: str, prefix: str) -> int:
    """An entity's number, from its stored slug or file name (``artist-7``, ``master_12.wav``)."""
    return int(name.removeprefix(prefix).split(".")[0])


def numbered(rows: list[tuple], prefix: str) -> list[tuple]:
    """Rows whose first column is such a name, as (number, the other columns), in order."""
    return sorted((number_in(str(r[0]), prefix), *r[1:]) for r in rows)


def stored_catalogue(conn: psycopg.Connection, w: Run) -> Catalogue:
    """The catalogue so far: the stored artists, producers, masters and follows."""
    users = {uid: i for i, uid in enumerate(w.users[1])}  # user id -> number
    cat = Catalogue(w)
    sql = "SELECT {}, extract(epoch FROM created_at)::bigint FROM oltp.{}"

    def stored(table: str, cols: str, prefix: str, number: dict[str, int]) -> list[list[int]]:
        """[owners' numbers, creation instants] of ``table``'s rows, by their own numbers."""
        rows = numbered(conn.execute(sql.format(cols, table)).fetchall(), prefix)
        return [[number[r[1]] for r in rows], [r[2] for r in rows]]

    cat.artist_user, cat.artist_created = stored("artists", "slug, user_id::text", "artist-", users)
    producers = numbered(conn.execute(sql.format("slug", "producers")).fetchall(), "producer-")
    cat.producer_created = [r[1] for r in producers]
    artists = {a: k for k, a in enumerate(cat.ids.uuids_at("artists", range(len(cat.artist_user))))}
    masters = stored("masters", "audio_file_name, artist_id::text", "master_", artists)
    cat.master_artist, cat.master_created = masters
    for a, u, t in conn.execute(sql.format("artist_id::text, follower_id::text", "artist_follows")):
        cat.follows.setdefault(artists[a], {})[users[u]] = t
    return cat


def write_catalogue(
    out: TableWriter, w: Run, stored: Catalogue | None
) -> tuple[list[dict], Follows]:
    """The run's catalogue after the ``stored`` one (``stored_catalogue``; a full seed: none),
    stored masters moved on; sets ``w.catalogue``, returns the new masters and the follows."""
    cat = Catalogue(w) if stored is None else stored
    old = np.arange(len(cat.master_created))  # the stored masters
    w.catalogue = cat.run(w.start, w.end)
    for table in TABLES:
        out.copy_rows(table, cat.out[table])
    # stored masters that reached a stage in the window, rewritten whole
    old = old[w.catalogue["masters"]["changed"][old] >= w.start]
    out.update("masters", cat.master_rows(old, w.catalogue["masters"]))
    return cat.out["masters"], cat.follows
