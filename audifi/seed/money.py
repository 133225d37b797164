"""Currencies and the revenue lifecycle's rules (docs/seed.md, "Money")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

USD_PER_UNIT = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067}
FOREIGN = ("EUR", "GBP", "JPY")  # the order picks a currency from a draw (``pick_currency``)
FOREIGN_SHARE = 0.4  # of non-distributor revenue (distributors pay out in USD)
VERIFY_DAYS = {"USD": (0.5, 3.5), "foreign": (5.0, 25.0)}  # from creation; foreign awaits FX
DEPOSIT_DAYS = (0.5, 4.5)  # from verification to the deposit into a dividend contract
DISTRIBUTE_DAYS = (0.5, 2.5)  # from the deposit to its distribution
FATES = ((0.02, "failed"), (0.04, "disputed"))  # of verified revenue (cumulative odds), INV-15
LOG_INDEX = {"claim": 0, "deposit": 1, "distribution": 3}  # a dividend contract's events
HOLDERS_SHARE_POOLED = 5000  # bps of revenue that per-artist/platform pools pay holders


@dataclass(frozen=True)
class Token:
    symbol: str
    per_cent: int  # coarse units per US cent
    exp: int  # base units = coarse units x 10**exp

    @property
    def suffix(self) -> bytes:
        return b"0" * self.exp


USDC = Token("USDC", 10_000, 0)
WETH = Token("WETH", 4_000, 9)  # 2,500 USD per ETH: a cent is 4,000 gwei (int64 holds gwei)


def dividend_token(contract_address: str) -> Token:
    return WETH if int(contract_address[-2:], 16) % 3 == 0 else USDC


def holders_units(cents: int, share_bps: int, token: Token) -> int:
    return cents * token.per_cent * share_bps // 10_000  # coarse units of the token


def usd(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def fiat_amount(cents: int, currency: str) -> str:
    """``cents`` (USD) expressed in ``currency``: 2 places for USD, 8 for a converted amount."""
    return usd(cents) if currency == "USD" else f"{cents / 100 / USD_PER_UNIT[currency]:.8f}"


def usd_cents(amount: Decimal, currency: str) -> int:
    """The USD cents of a stored ``amount`` (inverse of ``fiat_amount``)."""
    c = amount * Decimal(str(USD_PER_UNIT[currency])) * 100
    return int(c.quantize(Decimal(1), ROUND_HALF_EVEN))


def pick_currency(u: float) -> str:
    return "USD" if u >= FOREIGN_SHARE else FOREIGN[int(u / FOREIGN_SHARE * len(FOREIGN))]


def verify_days(currency: str) -> tuple[float, float]:
    return VERIFY_DAYS["USD" if currency == "USD" else "foreign"]


def revenue_fate(u: float) -> str | None:
    return next((fate for share, fate in FATES if u < share), None)
