"""Artists, producers, follows, masters (with their lifecycle) and collaborator splits.

``append_growth`` builds new artists and masters with ``artist_row``, ``master_row`` and
``YOUNG_STATUS``.
"""

from __future__ import annotations

import numpy as np

from audifi.seed.context import COUNTRIES, GENRES, Ctx
from audifi.seed.copy_loader import RowBuffer
from audifi.seed.ids import hex_digest
from audifi.seed.timeline import DAY

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
# status of a master younger than 20 days (older ones are mostly live)
YOUNG_STATUS = (["draft", "pending", "approved"], [0.35, 0.35, 0.3])
ROLES = ["producer", "mixer", "mastering engineer", "featured artist", "songwriter"]


def generate_artists(ctx: Ctx) -> None:
    rng = ctx.rng
    users = ctx.dims["users"]
    au = ctx.dims["artist_users"]
    n = len(au)
    a_created = np.minimum(
        users["created"][au] + (rng.exponential(10, n) * DAY).astype(np.int64),
        ctx.start + int(0.75 * (ctx.end - ctx.start)),
    )
    a_ids = ctx.ids.uuids("artists", n)
    popularity = rng.lognormal(0, 1.3, n)
    genre = rng.integers(0, len(GENRES), n)
    ctx.dims["artists"] = {
        "id": a_ids,
        "user": au,
        "created": a_created,
        "pop": popularity,
        "genre": genre,
    }
    _producers(ctx)
    follows = _follows(ctx, a_ids, a_created, popularity)
    masters_per = _masters(ctx, a_created, popularity, genre)
    rows = []
    for k in range(n):
        rows.append(
            artist_row(
                k,
                a_ids[k],
                users["id"][au[k]],
                GENRES[genre[k]],
                str(COUNTRIES[users["country"][au[k]]]),
                bool(popularity[k] > 1.5),
                int(a_created[k]),
            )
            | {"total_masters": int(masters_per[k]), "follower_count": int(follows[k])}
        )
    ctx.rows["artists"] = rows


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


def _producers(ctx: Ctx) -> None:
    users = ctx.dims["users"]
    pu = ctx.dims["producer_users"]
    ids = ctx.ids.uuids("producers", len(pu))
    created = users["created"][pu] + 3 * DAY
    ctx.dims["producers"] = {"id": ids, "created": created}
    ctx.rows["producers"] = [
        {
            "id": ids[k],
            "user_id": users["id"][pu[k]],
            "producer_name": f"Producer {k}",
            "slug": f"producer-{k}",
            "bio": None,
            "specialty": GENRES[k % len(GENRES)],
            "profile_image_url": None,
            "social_links": {"twitter": f"@prod{k}"},
            "is_verified": k % 3 == 0,
            "verified_at": int(created[k]) if k % 3 == 0 else None,
            "is_active": True,
            "total_credits": 0,  # set from master_collaborators
            "created_at": int(created[k]),
            "updated_at": int(created[k]),
        }
        for k in range(len(pu))
    ]


def _follows(ctx: Ctx, a_ids: list[str], a_created: np.ndarray, pop: np.ndarray) -> np.ndarray:
    rng = ctx.rng
    users = ctx.dims["users"]
    n_users = len(users["id"])
    # about three follows per user overall, spread by artist popularity (heavy tail)
    target = np.minimum((pop / pop.sum() * n_users * 3).astype(int) + 1, n_users // 2)
    counts = np.zeros(len(a_ids), int)
    rows = RowBuffer("artist_follows")
    for k in range(len(a_ids)):
        followers = np.unique(rng.integers(0, n_users, target[k]))
        counts[k] = len(followers)
        t = np.maximum(users["created"][followers], a_created[k]) + rng.integers(
            0, 20 * DAY, counts[k]
        )
        t = np.minimum(t, ctx.end - 1)
        fids = ctx.ids.uuids("artist_follows", len(followers))
        for j, f in enumerate(followers):
            rows.append(
                {
                    "id": fids[j],
                    "artist_id": a_ids[k],
                    "follower_id": users["id"][f],
                    "created_at": int(t[j]),
                }
            )
        ctx.dims.setdefault("follows", {})[k] = (followers, t)
    ctx.rows["artist_follows"] = rows
    return counts


def _masters(ctx: Ctx, a_created: np.ndarray, pop: np.ndarray, genre: np.ndarray) -> np.ndarray:
    rng = ctx.rng
    sc = ctx.scale
    n_art = len(a_created)
    per = np.maximum(1, np.round(rng.lognormal(np.log(sc.masters_per_artist) - 0.3, 0.8, n_art)))
    per = per.astype(int)
    artist = np.repeat(np.arange(n_art), per)
    m = len(artist)
    room = ctx.end - a_created[artist]
    created = a_created[artist] + (rng.random(m) * 0.9 * room).astype(np.int64)
    age = ctx.end - created
    status = np.where(
        age < 20 * DAY,
        rng.choice(np.array(YOUNG_STATUS[0]), m, p=YOUNG_STATUS[1]),
        rng.choice(
            np.array(["draft", "pending", "approved", "live", "archived"]),
            m,
            p=[0.04, 0.03, 0.13, 0.68, 0.12],
        ),
    )
    released = np.isin(status, ["approved", "live", "archived"])
    release = created + (rng.uniform(0.05, 1, m) * np.minimum(20 * DAY, age - 3600)).astype(
        np.int64
    )
    release = np.where(released, release, -1)
    duration = rng.integers(120, 420, m)
    popularity = pop[artist] * rng.lognormal(0, 1.0, m)
    popularity[~released] = 0
    ids = ctx.ids.uuids("masters", m)
    ctx.dims["masters"] = {
        "id": ids,
        "artist": artist,
        "created": created,
        "status": status,
        "release": release,
        "duration": duration,
        "pop": popularity,
    }
    rows = []
    a_ids = ctx.dims["artists"]["id"]
    for i in range(m):
        rows.append(
            master_row(
                ctx.seed,
                i,
                ids[i],
                a_ids[artist[i]],
                str(status[i]),
                GENRES[genre[artist[i]]],
                int(duration[i]),
                int(created[i]),
                int(release[i]) if release[i] >= 0 else None,
            )
        )
    ctx.rows["masters"] = rows
    _collaborators(ctx, created)
    return per


def _collaborators(ctx: Ctx, created: np.ndarray) -> None:
    rng = ctx.rng
    prods = ctx.dims["producers"]
    n_prod = len(prods["id"])
    m_ids = ctx.dims["masters"]["id"]
    rows = []
    credits: dict[int, set[int]] = {}
    for i in range(len(m_ids)):
        k = int(rng.choice(4, p=[0.3, 0.4, 0.2, 0.1]))
        splits = rng.integers(3, 26, k) * 100  # 300..2500 bps each, so the total stays <= 7500
        for j in range(k):
            p = int(rng.integers(0, n_prod)) if rng.random() < 0.6 else -1
            if p >= 0 and p in credits.get(i, set()):
                p = -1
            t = int(created[i])
            rows.append(
                {
                    "id": ctx.ids.uuid("master_collaborators"),
                    "master_id": m_ids[i],
                    "producer_id": prods["id"][p] if p >= 0 else None,
                    "collaborator_name": None if p >= 0 else f"Guest {i}-{j}",
                    "role": ROLES[0] if p >= 0 else ROLES[1 + (i + j) % 4],
                    "split_basis_points": int(splits[j]),
                    "display_order": j,
                    "created_at": t,
                    "updated_at": t,
                }
            )
            if p >= 0:
                credits.setdefault(i, set()).add(p)
    ctx.rows["master_collaborators"] = rows
    total = np.zeros(n_prod, int)
    for ps in credits.values():
        for p in ps:
            total[p] += 1
    for k, row in enumerate(ctx.rows["producers"]):
        row["total_credits"] = int(total[k])
