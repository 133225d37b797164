"""Module `nfts`: Minted Master NFTs, their transfer history and ownership snapshots (on-chain mirrors)."""

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


class NftListingStatus(enum.StrEnum):
    NOT_LISTED = "not_listed"
    LISTED = "listed"
    IN_ESCROW = "in_escrow"
    SOLD = "sold"


NftListingStatusType = pg_enum(NftListingStatus, "nft_listing_status")


class TransferType(enum.StrEnum):
    MINT = "mint"
    TRANSFER = "transfer"
    SALE = "sale"
    BURN = "burn"
    CLAIM = "claim"


TransferTypeType = pg_enum(TransferType, "transfer_type")


class MasterNFT(Base):
    """One row per minted token of a Master Contract (chain + contract + token id)."""

    __tablename__ = "master_nfts"
    __table_args__ = (
        Index(
            "master_nfts_chain_contract_token_idx",
            "chain_id",
            "contract_address",
            "token_id",
            unique=True,
        ),
        Index("master_nfts_master_id_idx", "master_id"),
        Index("master_nfts_contract_id_idx", "master_contract_id"),
        Index("master_nfts_owner_wallet_idx", "current_owner_wallet"),
        Index("master_nfts_original_minter_idx", "original_minter_wallet"),
        Index("master_nfts_listing_status_idx", "listing_status"),
        Index("master_nfts_minted_at_idx", "minted_at"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "token_id >= 0 AND mint_price_wei >= 0 AND listing_price_wei >= 0 AND total_dividends_received >= 0",
            name="amounts_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    master_contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("master_contracts.id"))
    token_id: Mapped[Decimal] = mapped_column(Numeric(78, 0))
    chain_id: Mapped[str] = mapped_column(String(50))
    contract_address: Mapped[str] = mapped_column(String(255))
    current_owner_wallet: Mapped[str] = mapped_column(String(255))
    is_first_minter: Mapped[bool] = mapped_column(server_default=false())
    is_second_minter: Mapped[bool] = mapped_column(server_default=false())
    is_third_minter: Mapped[bool] = mapped_column(server_default=false())
    original_minter_wallet: Mapped[str] = mapped_column(String(255))
    mint_tx_hash: Mapped[str | None] = mapped_column(String(255))
    minted_at_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    minted_at: Mapped[datetime | None] = mapped_column()
    mint_price_wei: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    listing_status: Mapped[NftListingStatus] = mapped_column(
        NftListingStatusType, server_default="not_listed"
    )
    listing_price_wei: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    listing_currency: Mapped[str | None] = mapped_column(String(20))
    listed_at: Mapped[datetime | None] = mapped_column()
    token_uri: Mapped[str | None] = mapped_column(Text)
    total_dividends_received: Mapped[Decimal | None] = mapped_column(
        Numeric(78, 0), server_default=text("0")
    )
    last_dividend_claimed_at: Mapped[datetime | None] = mapped_column()
    last_indexed_block: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    last_indexed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class NFTTransfer(Base):
    """Append-only log of token transfer events indexed from chain (insert only, never updated; rows removed only by reorg rollback)."""

    __tablename__ = "nft_transfers"
    __table_args__ = (
        Index("nft_transfers_tx_log_idx", "tx_hash", "log_index", unique=True),
        Index("nft_transfers_master_nft_id_idx", "master_nft_id"),
        Index("nft_transfers_master_id_idx", "master_id"),
        Index("nft_transfers_from_wallet_idx", "from_wallet"),
        Index("nft_transfers_to_wallet_idx", "to_wallet"),
        Index("nft_transfers_block_number_idx", "block_number"),
        Index("nft_transfers_block_timestamp_idx", "block_timestamp"),
        Index("nft_transfers_transfer_type_idx", "transfer_type"),
        Index("nft_transfers_marketplace_idx", "marketplace"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "token_id >= 0 AND sale_price_wei >= 0 AND royalty_paid_wei >= 0 AND log_index >= 0",
            name="amounts_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    master_nft_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("master_nfts.id"))
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    token_id: Mapped[Decimal] = mapped_column(Numeric(78, 0))
    chain_id: Mapped[str] = mapped_column(String(50))
    contract_address: Mapped[str] = mapped_column(String(255))
    from_wallet: Mapped[str] = mapped_column(String(255))
    to_wallet: Mapped[str] = mapped_column(String(255))
    tx_hash: Mapped[str] = mapped_column(String(255))
    block_number: Mapped[Decimal] = mapped_column(Numeric(20, 0))
    log_index: Mapped[int] = mapped_column()
    block_timestamp: Mapped[datetime] = mapped_column()
    transfer_type: Mapped[TransferType] = mapped_column(TransferTypeType)
    sale_price_wei: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    sale_currency: Mapped[str | None] = mapped_column(String(20))
    marketplace: Mapped[str | None] = mapped_column(String(100))
    royalty_paid_wei: Mapped[Decimal | None] = mapped_column(Numeric(78, 0))
    royalty_recipient: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[CreatedAt]


class NFTOwnershipSnapshot(Base):
    """Off-chain, job-produced point-in-time ownership records (daily / dividend / airdrop); derived."""

    __tablename__ = "nft_ownership_snapshots"
    __table_args__ = (
        Index(
            "nft_snapshots_master_token_time_idx",
            "master_id",
            "token_id",
            "snapshot_timestamp",
        ),
        Index("nft_snapshots_owner_wallet_idx", "owner_wallet"),
        Index("nft_snapshots_timestamp_idx", "snapshot_timestamp"),
        Index("nft_snapshots_reason_idx", "snapshot_reason"),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    token_id: Mapped[Decimal] = mapped_column(Numeric(78, 0))
    chain_id: Mapped[str] = mapped_column(String(50))
    contract_address: Mapped[str] = mapped_column(String(255))
    owner_wallet: Mapped[str] = mapped_column(String(255))
    snapshot_timestamp: Mapped[datetime] = mapped_column()
    snapshot_block_number: Mapped[Decimal | None] = mapped_column(Numeric(20, 0))
    snapshot_reason: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[CreatedAt]
