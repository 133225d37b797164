"""Sizes of the synthetic data set at each scale."""

from __future__ import annotations

from dataclasses import dataclass

from audifi.errors import AudifiError


@dataclass(frozen=True)
class Scale:
    name: str
    days: int  # the history's length, distinct per scale (``context.open_window`` relies on it)
    users: int
    artists: int
    producers: int
    masters_per_artist: float  # mean of a heavy-tailed count
    ipo_share: float  # share of released masters that get an IPO
    supply_range: tuple[int, int]  # IPO total_supply is drawn log-uniformly in this range
    resales_per_nft: float  # mean secondary transfers per minted token
    plays: int
    sessions: int
    viewers_per_session: int  # mean, heavy-tailed
    coin_share: float  # share of artists with an Artist Coin
    swaps_per_pool: int
    dsp_countries: int  # statement countries per master and platform
    play_chunk: int = 100_000  # plays per generated chunk: bounds the play producer's memory


# fmt: off
SCALE_TABLE: dict[str, Scale] = {s.name: s for s in (
    Scale("tiny", 120, 400, 24, 8, 3.0, 0.6, (10, 60), 1.0, 20_000, 240, 30, 0.4, 40, 1),
    Scale("small", 365, 6_000, 180, 50, 4.0, 0.5, (20, 300), 1.3, 500_000, 1_000, 90, 0.3, 200, 2),
    Scale("medium", 400, 30_000, 700, 200, 4.0, 0.5, (30, 500), 1.4, 2_500_000, 1_500, 150, 0.3,
          400, 2),
    Scale("large", 540, 120_000, 2_500, 600, 4.0, 0.5, (50, 500), 1.7, 10_500_000, 2_500, 120,
          0.3, 600, 2),
)}
# fmt: on


def get_scale(name: str) -> Scale:
    if name not in SCALE_TABLE:
        raise AudifiError(f"unknown scale {name!r}; choose one of: {', '.join(SCALE_TABLE)}")
    return SCALE_TABLE[name]
