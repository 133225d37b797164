"""Module `masters`: Masters, collaborator credits, IPO configuration, Master and Dividend Contract mirrors."""

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
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UpdatedAt, UUIDPk, pg_enum


class MasterType(enum.StrEnum):
    TRACK = "track"
    ALBUM = "album"


MasterTypeType = pg_enum(MasterType, "master_type")


class MasterStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    APPROVED = "approved"
    LIVE = "live"
    ARCHIVED = "archived"


MasterStatusType = pg_enum(MasterStatus, "master_status")


class IpoStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    LIVE = "live"
    CLOSED = "closed"
    CANCELLED = "cancelled"


IpoStatusType = pg_enum(IpoStatus, "ipo_status")


class DividendDistributionModel(enum.StrEnum):
    PER_MASTER = "per_master"
    PER_ARTIST = "per_artist"
    PLATFORM = "platform"


DividendDistributionModelType = pg_enum(DividendDistributionModel, "dividend_distribution_model")


class Master(Base):
    """A master recording (track or album) owned by one artist; the unit offered in a Master IPO."""

    __tablename__ = "masters"
    __table_args__ = (
        Index("masters_artist_id_idx", "artist_id"),
        Index("masters_status_idx", "status"),
        Index("masters_genre_idx", "genre"),
        Index("masters_release_date_idx", "release_date"),
        Index("masters_created_at_idx", "created_at"),
    )

    id: Mapped[UUIDPk]
    artist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("artists.id"))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    master_type: Mapped[MasterType] = mapped_column(MasterTypeType, server_default="track")
    status: Mapped[MasterStatus] = mapped_column(MasterStatusType, server_default="draft")
    genre: Mapped[str | None] = mapped_column(String(100))
    bpm: Mapped[int | None] = mapped_column()
    duration: Mapped[int | None] = mapped_column()
    release_date: Mapped[datetime | None] = mapped_column()
    isrc: Mapped[str | None] = mapped_column(String(12))
    mood_tags: Mapped[Any] = mapped_column(JSONB, nullable=True, server_default=text("'[]'::jsonb"))
    audio_file_name: Mapped[str | None] = mapped_column(String(255))
    audio_ipfs_hash: Mapped[str | None] = mapped_column(String(100))
    cover_image_url: Mapped[str | None] = mapped_column(Text)
    cover_image_ipfs_hash: Mapped[str | None] = mapped_column(String(100))
    metadata_ipfs_hash: Mapped[str | None] = mapped_column(String(100))
    metadata_: Mapped[Any] = mapped_column("metadata", JSONB, nullable=True)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
    published_at: Mapped[datetime | None] = mapped_column()


class MasterCollaborator(Base):
    """Credits on a master; either a registered producer or a free-text collaborator, with a revenue split in basis points."""

    __tablename__ = "master_collaborators"
    __table_args__ = (
        Index("master_collaborators_master_id_idx", "master_id"),
        Index("master_collaborators_producer_id_idx", "producer_id"),
        # a split lies in 0..10000 bps (INV-19, per-row part)
        CheckConstraint("split_basis_points BETWEEN 0 AND 10000", name="split_bps_range"),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id", ondelete="CASCADE"))
    producer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("producers.id"))
    collaborator_name: Mapped[str | None] = mapped_column(String(150))
    role: Mapped[str] = mapped_column(String(100))
    split_basis_points: Mapped[int] = mapped_column(server_default=text("0"))
    display_order: Mapped[int] = mapped_column(server_default=text("0"))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class MasterIPO(Base):
    """IPO configuration for a master (at most one per master): supply, price, revenue split, timing, Mover Advantage, resale royalty."""

    __tablename__ = "master_ipos"
    __table_args__ = (
        Index("master_ipos_master_id_idx", "master_id", unique=True),
        Index("master_ipos_status_idx", "status"),
        Index("master_ipos_start_at_idx", "scheduled_start_at"),
        # the design's only stated CHECK (INV-03)
        CheckConstraint("total_supply BETWEEN 1 AND 1000000", name="valid_total_supply"),
        # 0 <= minted <= total (INV-02, INV-05)
        CheckConstraint(
            "minted_supply >= 0 AND minted_supply <= total_supply",
            name="minted_supply_range",
        ),
        # every bps column lies in 0..10000 (INV-18)
        CheckConstraint(
            "revenue_share_nft_holders_bps BETWEEN 0 AND 10000 AND retained_artist_bps BETWEEN 0 AND 10000 AND retained_platform_bps BETWEEN 0 AND 10000 AND secondary_royalty_bps BETWEEN 0 AND 10000 AND first_minter_bonus_bps BETWEEN 0 AND 10000 AND second_minter_bonus_bps BETWEEN 0 AND 10000 AND third_minter_bonus_bps BETWEEN 0 AND 10000",
            name="bps_range",
        ),
        # the IPO split sums to 10000 bps (INV-18)
        CheckConstraint(
            "revenue_share_nft_holders_bps + retained_artist_bps + retained_platform_bps = 10000",
            name="revenue_split_total",
        ),
        # end >= start (INV-26)
        CheckConstraint("scheduled_end_at >= scheduled_start_at", name="scheduled_window"),
        # end >= start (INV-26)
        CheckConstraint("actual_end_at >= actual_start_at", name="actual_window"),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    total_supply: Mapped[int] = mapped_column()
    minted_supply: Mapped[int] = mapped_column(server_default=text("0"))
    mint_price_wei: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    mint_price_currency: Mapped[str | None] = mapped_column(String(20))
    revenue_share_nft_holders_bps: Mapped[int] = mapped_column(server_default=text("5000"))
    retained_artist_bps: Mapped[int] = mapped_column(server_default=text("4000"))
    retained_platform_bps: Mapped[int] = mapped_column(server_default=text("1000"))
    status: Mapped[IpoStatus] = mapped_column(IpoStatusType, server_default="draft")
    scheduled_start_at: Mapped[datetime | None] = mapped_column()
    scheduled_end_at: Mapped[datetime | None] = mapped_column()
    actual_start_at: Mapped[datetime | None] = mapped_column()
    actual_end_at: Mapped[datetime | None] = mapped_column()
    mover_advantage_enabled: Mapped[bool] = mapped_column(server_default=true())
    first_minter_bonus_bps: Mapped[int | None] = mapped_column(server_default=text("300"))
    second_minter_bonus_bps: Mapped[int | None] = mapped_column(server_default=text("200"))
    third_minter_bonus_bps: Mapped[int | None] = mapped_column(server_default=text("100"))
    secondary_royalty_bps: Mapped[int] = mapped_column(server_default=text("1000"))
    allow_secondary_resale: Mapped[bool] = mapped_column(server_default=true())
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class MasterContract(Base):
    """Mirror of a deployed ERC-721C Master Contract; at most one per master per chain."""

    __tablename__ = "master_contracts"
    __table_args__ = (
        Index(
            "master_contracts_chain_address_idx",
            "chain_id",
            "contract_address",
            unique=True,
        ),
        Index("master_contracts_master_chain_idx", "master_id", "chain_id", unique=True),
        Index("master_contracts_master_id_idx", "master_id"),
        # same ranges as the IPO it mirrors (INV-02, INV-03, INV-18)
        CheckConstraint(
            "contract_total_supply BETWEEN 1 AND 1000000 AND contract_royalty_bps BETWEEN 0 AND 10000",
            name="supply_and_royalty_range",
        ),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    chain_id: Mapped[str] = mapped_column(String(50))
    contract_address: Mapped[str] = mapped_column(String(255))
    deployment_tx_hash: Mapped[str | None] = mapped_column(String(255))
    deployed_at_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    deployed_at: Mapped[datetime | None] = mapped_column()
    contract_total_supply: Mapped[int | None] = mapped_column()
    contract_royalty_bps: Mapped[int | None] = mapped_column()
    first_minter_wallet: Mapped[str | None] = mapped_column(String(255))
    second_minter_wallet: Mapped[str | None] = mapped_column(String(255))
    third_minter_wallet: Mapped[str | None] = mapped_column(String(255))
    abi_version: Mapped[str | None] = mapped_column(String(20), server_default="1.0")
    last_indexed_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    last_indexed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class DividendContract(Base):
    """Mirror of a deployed Dividend Contract; scope is a master, an artist or the platform depending on `distribution_model`."""

    __tablename__ = "dividend_contracts"
    __table_args__ = (
        Index(
            "dividend_contracts_chain_address_idx",
            "chain_id",
            "contract_address",
            unique=True,
        ),
        Index("dividend_contracts_master_id_idx", "master_id"),
        Index("dividend_contracts_artist_id_idx", "artist_id"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "total_revenue_deposited >= 0 AND total_dividends_distributed >= 0",
            name="totals_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("masters.id"))
    artist_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("artists.id"))
    distribution_model: Mapped[DividendDistributionModel] = mapped_column(
        DividendDistributionModelType
    )
    chain_id: Mapped[str] = mapped_column(String(50))
    contract_address: Mapped[str] = mapped_column(String(255))
    deployment_tx_hash: Mapped[str | None] = mapped_column(String(255))
    deployed_at_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    deployed_at: Mapped[datetime | None] = mapped_column()
    linked_master_contract: Mapped[str | None] = mapped_column(String(255))
    total_revenue_deposited: Mapped[Decimal | None] = mapped_column(
        Numeric(78, 0), server_default=text("0")
    )
    total_dividends_distributed: Mapped[Decimal | None] = mapped_column(
        Numeric(78, 0), server_default=text("0")
    )
    last_indexed_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    last_indexed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
