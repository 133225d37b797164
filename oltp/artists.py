"""Module `artists`: Artist and producer profiles and follows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    false,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UpdatedAt, UUIDPk


class Artist(Base):
    """Artist profile extending a user (at most one per user)."""

    __tablename__ = "artists"
    __table_args__ = (
        Index("artists_user_id_idx", "user_id", unique=True),
        Index("artists_slug_idx", "slug", unique=True),
        Index("artists_name_idx", "artist_name"),
        Index("artists_genre_idx", "genre"),
        Index("artists_verified_idx", "is_verified"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "total_masters >= 0 AND total_sales >= 0 AND follower_count >= 0",
            name="counters_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    artist_name: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(150))
    bio: Mapped[str | None] = mapped_column(Text)
    short_bio: Mapped[str | None] = mapped_column(String(280))
    genre: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(200))
    profile_image_url: Mapped[str | None] = mapped_column(Text)
    banner_image_url: Mapped[str | None] = mapped_column(Text)
    social_links: Mapped[Any] = mapped_column(JSONB, nullable=True)
    music_platforms: Mapped[Any] = mapped_column(JSONB, nullable=True)
    is_verified: Mapped[bool] = mapped_column(server_default=false())
    verified_at: Mapped[datetime | None] = mapped_column()
    is_active: Mapped[bool] = mapped_column(server_default=true())
    total_masters: Mapped[int] = mapped_column(server_default=text("0"))
    total_sales: Mapped[int] = mapped_column(server_default=text("0"))
    follower_count: Mapped[int] = mapped_column(server_default=text("0"))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class Producer(Base):
    """Producer profile extending a user (at most one per user)."""

    __tablename__ = "producers"
    __table_args__ = (
        Index("producers_user_id_idx", "user_id", unique=True),
        Index("producers_slug_idx", "slug", unique=True),
        Index("producers_name_idx", "producer_name"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint("total_credits >= 0", name="counters_non_negative"),
    )

    id: Mapped[UUIDPk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    producer_name: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(150))
    bio: Mapped[str | None] = mapped_column(Text)
    specialty: Mapped[str | None] = mapped_column(String(200))
    profile_image_url: Mapped[str | None] = mapped_column(Text)
    social_links: Mapped[Any] = mapped_column(JSONB, nullable=True)
    is_verified: Mapped[bool] = mapped_column(server_default=false())
    verified_at: Mapped[datetime | None] = mapped_column()
    is_active: Mapped[bool] = mapped_column(server_default=true())
    total_credits: Mapped[int] = mapped_column(server_default=text("0"))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class ArtistFollow(Base):
    """Fan (user) follows artist."""

    __tablename__ = "artist_follows"
    __table_args__ = (
        Index(
            "artist_follows_artist_follower_idx",
            "artist_id",
            "follower_id",
            unique=True,
        ),
        Index("artist_follows_artist_id_idx", "artist_id"),
        Index("artist_follows_follower_id_idx", "follower_id"),
    )

    id: Mapped[UUIDPk]
    artist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("artists.id", ondelete="CASCADE"))
    follower_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[CreatedAt]
