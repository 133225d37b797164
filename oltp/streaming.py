"""Module `streaming`: The warehouse's own streaming module: on-platform plays and DSP statement lines."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CHAR,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UUIDPk, pg_enum


class StreamPlatform(enum.StrEnum):
    AUDIFI = "audifi"
    SPOTIFY = "spotify"
    APPLE_MUSIC = "apple_music"
    YOUTUBE_MUSIC = "youtube_music"
    AMAZON_MUSIC = "amazon_music"


StreamPlatformType = pg_enum(StreamPlatform, "stream_platform")


class PlaySource(enum.StrEnum):
    WEB = "web"
    IOS = "ios"
    ANDROID = "android"
    DESKTOP = "desktop"
    EMBED = "embed"
    VSTUDIO = "vstudio"


PlaySourceType = pg_enum(PlaySource, "play_source")


class PlayEvent(Base):
    """On-platform plays (append-only); the largest fact source of the streaming marts."""

    __tablename__ = "play_events"
    __table_args__ = (
        Index("play_events_master_started_idx", "master_id", "started_at"),
        Index("play_events_started_at_idx", "started_at"),
        Index("play_events_user_started_idx", "user_id", "started_at"),
        Index("play_events_created_at_idx", "created_at"),
        # STR-01: played time within 0..2x the duration; duration positive
        CheckConstraint(
            "ms_played >= 0 AND track_duration_ms > 0 AND ms_played <= 2 * track_duration_ms",
            name="ms_played_range",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    anonymous_id: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column()
    ms_played: Mapped[int] = mapped_column()
    track_duration_ms: Mapped[int] = mapped_column()
    source: Mapped[PlaySource] = mapped_column(PlaySourceType)
    country_code: Mapped[str | None] = mapped_column(CHAR(2))
    created_at: Mapped[CreatedAt]


class DSPStreamReport(Base):
    """DSP statement lines: daily per-master, per-country stream counts and royalties."""

    __tablename__ = "dsp_stream_reports"
    __table_args__ = (
        Index(
            "dsp_stream_reports_statement_line_idx",
            "statement_id",
            "master_id",
            "platform",
            "country_code",
            "report_date",
            unique=True,
        ),
        Index("dsp_stream_reports_master_date_idx", "master_id", "report_date"),
        Index("dsp_stream_reports_revenue_event_idx", "revenue_event_id"),
        # STR-02: listeners <= streams; nothing negative
        CheckConstraint(
            "stream_count >= 0 AND listener_count >= 0 AND listener_count <= stream_count AND royalty_amount >= 0 AND royalty_amount_usd >= 0",
            name="counts_non_negative",
        ),
        # STR-06: own plays live in play_events
        CheckConstraint("platform <> 'audifi'", name="not_audifi"),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    platform: Mapped[StreamPlatform] = mapped_column(StreamPlatformType)
    country_code: Mapped[str] = mapped_column(CHAR(2))
    report_date: Mapped[date] = mapped_column(Date)
    stream_count: Mapped[int] = mapped_column(BigInteger)
    listener_count: Mapped[int] = mapped_column(BigInteger)
    royalty_amount: Mapped[Decimal] = mapped_column(Numeric(28, 8))
    currency: Mapped[str] = mapped_column(String(10))
    royalty_amount_usd: Mapped[Decimal | None] = mapped_column(Numeric(28, 8))
    statement_id: Mapped[str] = mapped_column(String(255))
    revenue_event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("revenue_events.id"))
    ingested_at: Mapped[datetime] = mapped_column(server_default=func.now())
