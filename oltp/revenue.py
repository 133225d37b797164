"""Module `revenue`: Off-chain revenue intake, on-chain dividend events, wallet dividend balances and claims."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UpdatedAt, UUIDPk, pg_enum


class RevenueSourceType(enum.StrEnum):
    MANUAL = "manual"
    DISTRIBUTOR = "distributor"
    PRO = "pro"
    SYNC = "sync"
    MERCHANDISE = "merchandise"
    LIVE = "live"
    DIRECT = "direct"
    SECONDARY = "secondary"
    OTHER = "other"


RevenueSourceTypeType = pg_enum(RevenueSourceType, "revenue_source_type")


class RevenueEventStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    DEPOSITED = "deposited"
    DISTRIBUTED = "distributed"
    FAILED = "failed"
    DISPUTED = "disputed"


RevenueEventStatusType = pg_enum(RevenueEventStatus, "revenue_event_status")


class DividendEventType(enum.StrEnum):
    DEPOSIT = "deposit"
    DISTRIBUTION = "distribution"
    CLAIM = "claim"


DividendEventTypeType = pg_enum(DividendEventType, "dividend_event_type")


class RevenueEvent(Base):
    """Inbound off-chain revenue for a master (streaming, PRO, sync, …) and its processing lifecycle up to deposit into a dividend contract."""

    __tablename__ = "revenue_events"
    __table_args__ = (
        Index("revenue_events_master_id_idx", "master_id"),
        Index("revenue_events_source_type_idx", "source_type"),
        Index("revenue_events_status_idx", "status"),
        Index("revenue_events_period_start_idx", "period_start"),
        Index("revenue_events_created_at_idx", "created_at"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint("amount >= 0 AND amount_usd >= 0", name="amounts_non_negative"),
        # end >= start (INV-26)
        CheckConstraint("period_end >= period_start", name="period_window"),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    source_type: Mapped[RevenueSourceType] = mapped_column(RevenueSourceTypeType)
    source_name: Mapped[str | None] = mapped_column(String(200))
    external_reference: Mapped[str | None] = mapped_column(String(255))
    amount: Mapped[Decimal] = mapped_column(Numeric(28, 8))
    currency: Mapped[str] = mapped_column(String(10))
    amount_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 8))
    period_start: Mapped[datetime | None] = mapped_column()
    period_end: Mapped[datetime | None] = mapped_column()
    status: Mapped[RevenueEventStatus] = mapped_column(
        RevenueEventStatusType, server_default="pending"
    )
    verified_at: Mapped[datetime | None] = mapped_column()
    verified_by: Mapped[uuid.UUID | None] = mapped_column()
    deposited_to_contract_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dividend_contracts.id")
    )
    deposit_tx_hash: Mapped[str | None] = mapped_column(String(255))
    deposited_at: Mapped[datetime | None] = mapped_column()
    document_url: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[Any] = mapped_column("metadata", JSONB, nullable=True)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class DividendEvent(Base):
    """Dividend-contract events indexed from chain: deposit, distribution, claim."""

    __tablename__ = "dividend_events"
    __table_args__ = (
        Index("dividend_events_tx_log_idx", "tx_hash", "log_index", unique=True),
        Index("dividend_events_master_id_idx", "master_id"),
        Index("dividend_events_contract_id_idx", "dividend_contract_id"),
        Index("dividend_events_event_type_idx", "event_type"),
        Index("dividend_events_block_number_idx", "block_number"),
        Index("dividend_events_block_timestamp_idx", "block_timestamp"),
        Index("dividend_events_claimant_wallet_idx", "claimant_wallet"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "total_amount >= 0 AND per_token_amount >= 0 AND total_holders_at_distribution >= 0 AND log_index >= 0",
            name="amounts_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("masters.id"))
    dividend_contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dividend_contracts.id"))
    event_type: Mapped[DividendEventType] = mapped_column(DividendEventTypeType)
    chain_id: Mapped[str] = mapped_column(String(50))
    contract_address: Mapped[str] = mapped_column(String(255))
    tx_hash: Mapped[str] = mapped_column(String(255))
    block_number: Mapped[Decimal] = mapped_column(Numeric(20, 0))
    log_index: Mapped[int] = mapped_column()
    block_timestamp: Mapped[datetime] = mapped_column()
    total_amount: Mapped[Decimal] = mapped_column(Numeric(78, 0))
    currency: Mapped[str] = mapped_column(String(20))
    claimant_wallet: Mapped[str | None] = mapped_column(String(255))
    claimant_token_id: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    total_holders_at_distribution: Mapped[int | None] = mapped_column()
    per_token_amount: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    revenue_event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("revenue_events.id"))
    created_at: Mapped[CreatedAt]


class WalletDividendBalance(Base):
    """Derived per-wallet, per-master, per-chain dividend position maintained by the indexer."""

    __tablename__ = "wallet_dividend_balances"
    __table_args__ = (
        Index(
            "wallet_dividends_wallet_master_chain_idx",
            "wallet_address",
            "master_id",
            "chain_id",
            unique=True,
        ),
        Index("wallet_dividends_wallet_idx", "wallet_address"),
        Index("wallet_dividends_master_id_idx", "master_id"),
        Index("wallet_dividends_claimable_idx", "claimable_amount"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "total_earned >= 0 AND total_claimed >= 0 AND claimable_amount >= 0 AND tokens_held >= 0",
            name="amounts_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    wallet_address: Mapped[str] = mapped_column(String(255))
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    dividend_contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dividend_contracts.id"))
    chain_id: Mapped[str] = mapped_column(String(50))
    total_earned: Mapped[Decimal] = mapped_column(Numeric(78, 0), server_default=text("0"))
    total_claimed: Mapped[Decimal] = mapped_column(Numeric(78, 0), server_default=text("0"))
    claimable_amount: Mapped[Decimal] = mapped_column(Numeric(78, 0), server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(20))
    last_claimed_at: Mapped[datetime | None] = mapped_column()
    last_claim_tx_hash: Mapped[str | None] = mapped_column(String(255))
    tokens_held: Mapped[int] = mapped_column(server_default=text("0"))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class DividendClaim(Base):
    """One row per on-chain dividend claim transaction (audit trail / claim analytics)."""

    __tablename__ = "dividend_claims"
    __table_args__ = (
        Index("dividend_claims_tx_hash_idx", "tx_hash", unique=True),
        Index("dividend_claims_wallet_idx", "wallet_address"),
        Index("dividend_claims_master_id_idx", "master_id"),
        Index("dividend_claims_block_timestamp_idx", "block_timestamp"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "amount_claimed >= 0 AND gas_used >= 0 AND gas_price_wei >= 0",
            name="amounts_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    wallet_address: Mapped[str] = mapped_column(String(255))
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    dividend_contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dividend_contracts.id"))
    master_nft_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("master_nfts.id"))
    token_id: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    amount_claimed: Mapped[Decimal] = mapped_column(Numeric(78, 0))
    currency: Mapped[str] = mapped_column(String(20))
    tx_hash: Mapped[str] = mapped_column(String(255))
    block_number: Mapped[Decimal] = mapped_column(Numeric(20, 0))
    block_timestamp: Mapped[datetime] = mapped_column()
    chain_id: Mapped[str] = mapped_column(String(50))
    gas_used: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    gas_price_wei: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    created_at: Mapped[CreatedAt]
