"""Module `artist_coin`: Artist Coins (ERC-20), holder balances, AMM pools, LP positions and pool events."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UpdatedAt, UUIDPk, pg_enum


class TokenType(enum.StrEnum):
    ARTIST_COIN = "artist_coin"
    PLATFORM_TOKEN = "platform_token"
    GOVERNANCE = "governance"


TokenTypeType = pg_enum(TokenType, "token_type")  # declared by the design, used by no column


class PoolType(enum.StrEnum):
    UNISWAP_V2 = "uniswap_v2"
    UNISWAP_V3 = "uniswap_v3"
    SUSHISWAP = "sushiswap"
    RAYDIUM = "raydium"
    ORCA = "orca"
    CUSTOM = "custom"


PoolTypeType = pg_enum(PoolType, "pool_type")


class PoolEventType(enum.StrEnum):
    ADD_LIQUIDITY = "add_liquidity"
    REMOVE_LIQUIDITY = "remove_liquidity"
    SWAP = "swap"


PoolEventTypeType = pg_enum(PoolEventType, "pool_event_type")


class ArtistToken(Base):
    """Mirror of an artist's ERC-20 Artist Coin; at most one per artist per chain; carries cached market data."""

    __tablename__ = "artist_tokens"
    __table_args__ = (
        Index(
            "artist_tokens_chain_address_idx",
            "chain_id",
            "contract_address",
            unique=True,
        ),
        Index("artist_tokens_artist_chain_idx", "artist_id", "chain_id", unique=True),
        Index("artist_tokens_artist_id_idx", "artist_id"),
        Index("artist_tokens_symbol_idx", "symbol"),
        Index("artist_tokens_tradable_idx", "is_tradable"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "total_supply >= 0 AND circulating_supply >= 0 AND holders_count >= 0",
            name="supplies_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    artist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("artists.id"))
    chain_id: Mapped[str] = mapped_column(String(50))
    contract_address: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(100))
    symbol: Mapped[str] = mapped_column(String(20))
    decimals: Mapped[str] = mapped_column(String(2), server_default="18")
    total_supply: Mapped[Decimal] = mapped_column(Numeric(78, 0))
    circulating_supply: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    deployment_tx_hash: Mapped[str | None] = mapped_column(String(255))
    deployed_at_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    deployed_at: Mapped[datetime | None] = mapped_column()
    logo_url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    is_tradable: Mapped[bool] = mapped_column(server_default=false())
    trading_enabled_at: Mapped[datetime | None] = mapped_column()
    last_price_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 18))
    market_cap_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 8))
    volume_24h_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 8))
    price_change_24h: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    holders_count: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    last_market_data_update: Mapped[datetime | None] = mapped_column()
    last_indexed_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    last_indexed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class TokenHolder(Base):
    """Mirror of Artist Coin balances per wallet, maintained from on-chain Transfer events."""

    __tablename__ = "token_holders"
    __table_args__ = (
        Index(
            "token_holders_token_wallet_idx",
            "artist_token_id",
            "wallet_address",
            unique=True,
        ),
        Index("token_holders_wallet_idx", "wallet_address"),
        Index("token_holders_balance_idx", "balance"),
        # the design's stated balance check (INV-05)
        CheckConstraint("balance >= 0", name="balance_non_negative"),
    )

    id: Mapped[UUIDPk]
    artist_token_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("artist_tokens.id"))
    wallet_address: Mapped[str] = mapped_column(String(255))
    chain_id: Mapped[str] = mapped_column(String(50))
    balance: Mapped[Decimal] = mapped_column(Numeric(78, 0), server_default=text("0"))
    first_acquired_at: Mapped[datetime | None] = mapped_column()
    first_acquired_tx_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class LiquidityPool(Base):
    """AMM pools in which an Artist Coin trades."""

    __tablename__ = "liquidity_pools"
    __table_args__ = (
        Index("liquidity_pools_chain_pool_idx", "chain_id", "pool_address", unique=True),
        Index("liquidity_pools_artist_token_idx", "artist_token_id"),
        Index("liquidity_pools_pool_type_idx", "pool_type"),
        Index("liquidity_pools_tvl_idx", "total_value_locked_usd"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "reserve0 >= 0 AND reserve1 >= 0 AND total_value_locked_usd >= 0 AND volume_24h_usd >= 0",
            name="reserves_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    artist_token_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("artist_tokens.id"))
    chain_id: Mapped[str] = mapped_column(String(50))
    pool_address: Mapped[str] = mapped_column(String(255))
    pool_type: Mapped[PoolType] = mapped_column(PoolTypeType)
    token0_address: Mapped[str] = mapped_column(String(255))
    token1_address: Mapped[str] = mapped_column(String(255))
    token0_symbol: Mapped[str | None] = mapped_column(String(20))
    token1_symbol: Mapped[str | None] = mapped_column(String(20))
    reserve0: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    reserve1: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    fee: Mapped[Decimal | None] = mapped_column(Numeric(10, 6))
    total_value_locked_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 8))
    volume_24h_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 8))
    created_at_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    created_at_tx_hash: Mapped[str | None] = mapped_column(String(255))
    last_indexed_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    last_indexed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class PoolPosition(Base):
    """Liquidity-provider positions per pool and wallet (optional at MVP)."""

    __tablename__ = "pool_positions"
    __table_args__ = (
        Index(
            "pool_positions_pool_wallet_idx",
            "liquidity_pool_id",
            "wallet_address",
            unique=True,
        ),
        Index("pool_positions_wallet_idx", "wallet_address"),
        Index("pool_positions_value_idx", "position_value_usd"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "lp_token_balance >= 0 AND token0_amount >= 0 AND token1_amount >= 0",
            name="amounts_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    liquidity_pool_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("liquidity_pools.id"))
    wallet_address: Mapped[str] = mapped_column(String(255))
    chain_id: Mapped[str] = mapped_column(String(50))
    lp_token_balance: Mapped[Decimal] = mapped_column(Numeric(78, 0))
    token0_amount: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    token1_amount: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    position_value_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 8))
    entered_at: Mapped[datetime | None] = mapped_column()
    entry_tx_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class PoolEvent(Base):
    """Swap / add-liquidity / remove-liquidity events indexed from chain."""

    __tablename__ = "pool_events"
    __table_args__ = (
        Index("pool_events_tx_idx", "tx_hash", unique=True),
        Index("pool_events_pool_id_idx", "liquidity_pool_id"),
        Index("pool_events_artist_token_idx", "artist_token_id"),
        Index("pool_events_event_type_idx", "event_type"),
        Index("pool_events_block_timestamp_idx", "block_timestamp"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "amount0 >= 0 AND amount1 >= 0 AND amount_usd >= 0",
            name="amounts_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    liquidity_pool_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("liquidity_pools.id"))
    artist_token_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("artist_tokens.id"))
    event_type: Mapped[PoolEventType] = mapped_column(PoolEventTypeType)
    chain_id: Mapped[str] = mapped_column(String(50))
    pool_address: Mapped[str] = mapped_column(String(255))
    tx_hash: Mapped[str] = mapped_column(String(255))
    block_number: Mapped[Decimal] = mapped_column(Numeric(20, 0))
    block_timestamp: Mapped[datetime] = mapped_column()
    amount0: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    amount1: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    amount_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 8))
    sender: Mapped[str | None] = mapped_column(String(255))
    recipient: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[CreatedAt]
