"""Module `vstudio`: V Studio fan sessions: decision points, votes, participants, engagement and chat."""

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
    false,
    func,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UpdatedAt, UUIDPk, pg_enum


class VstudioSessionStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    LIVE = "live"
    LOCKED = "locked"
    COMPLETED = "completed"
    IPO_LAUNCHED = "ipo_launched"
    CANCELLED = "cancelled"


VstudioSessionStatusType = pg_enum(VstudioSessionStatus, "vstudio_session_status")


class DecisionPointType(enum.StrEnum):
    POLL = "poll"
    SLIDER = "slider"
    RANKING = "ranking"
    OPEN_TEXT = "open_text"
    BINARY = "binary"


DecisionPointTypeType = pg_enum(DecisionPointType, "decision_point_type")


class EligibilityRule(enum.StrEnum):
    OPEN = "open"
    AUTHENTICATED = "authenticated"
    NFT_HOLDERS = "nft_holders"
    COIN_HOLDERS = "coin_holders"
    SUBSCRIBERS = "subscribers"
    SUPERFANS = "superfans"
    WHITELIST = "whitelist"


EligibilityRuleType = pg_enum(EligibilityRule, "eligibility_rule")


class EngagementEventType(enum.StrEnum):
    SESSION_VIEW = "session_view"
    SESSION_JOIN = "session_join"
    VOTE_CAST = "vote_cast"
    CHAT_MESSAGE = "chat_message"
    REACTION = "reaction"
    SHARE = "share"
    BOOKMARK = "bookmark"


EngagementEventTypeType = pg_enum(EngagementEventType, "engagement_event_type")


class VStudioSession(Base):
    """Interactive fan session tied to a master (and its artist), run before/around an IPO."""

    __tablename__ = "vstudio_sessions"
    __table_args__ = (
        Index("vstudio_sessions_slug_idx", "slug", unique=True),
        Index("vstudio_sessions_master_id_idx", "master_id"),
        Index("vstudio_sessions_artist_id_idx", "artist_id"),
        Index("vstudio_sessions_status_idx", "status"),
        Index("vstudio_sessions_start_at_idx", "scheduled_start_at"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "participant_count >= 0 AND total_votes >= 0 AND peak_concurrent_viewers >= 0",
            name="counters_non_negative",
        ),
        # end >= start (INV-26)
        CheckConstraint("scheduled_end_at >= scheduled_start_at", name="scheduled_window"),
        # end >= start (INV-26)
        CheckConstraint("actual_end_at >= actual_start_at", name="actual_window"),
    )

    id: Mapped[UUIDPk]
    master_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("masters.id"))
    artist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("artists.id"))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    slug: Mapped[str | None] = mapped_column(String(150))
    session_type: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[VstudioSessionStatus] = mapped_column(
        VstudioSessionStatusType, server_default="draft"
    )
    scheduled_start_at: Mapped[datetime | None] = mapped_column()
    scheduled_end_at: Mapped[datetime | None] = mapped_column()
    actual_start_at: Mapped[datetime | None] = mapped_column()
    actual_end_at: Mapped[datetime | None] = mapped_column()
    is_public: Mapped[bool] = mapped_column(server_default=true())
    allow_anonymous: Mapped[bool] = mapped_column(server_default=false())
    max_participants: Mapped[int | None] = mapped_column()
    cover_image_url: Mapped[str | None] = mapped_column(Text)
    background_color: Mapped[str | None] = mapped_column(String(20))
    participant_count: Mapped[int] = mapped_column(server_default=text("0"))
    total_votes: Mapped[int] = mapped_column(server_default=text("0"))
    peak_concurrent_viewers: Mapped[int] = mapped_column(server_default=text("0"))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class VStudioDecisionPoint(Base):
    """One question / vote inside a session (poll, slider, ranking, open text, binary)."""

    __tablename__ = "vstudio_decision_points"
    __table_args__ = (
        Index("vstudio_decision_points_session_id_idx", "vstudio_session_id"),
        Index("vstudio_decision_points_type_idx", "type"),
        Index("vstudio_decision_points_active_idx", "is_active"),
        Index("vstudio_decision_points_order_idx", "display_order"),
        # end >= start (INV-26)
        CheckConstraint("end_time >= start_time", name="time_window"),
    )

    id: Mapped[UUIDPk]
    vstudio_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("vstudio_sessions.id", ondelete="CASCADE")
    )
    type: Mapped[DecisionPointType] = mapped_column(DecisionPointTypeType)
    label: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    options: Mapped[Any] = mapped_column(JSONB, nullable=True)
    slider_min: Mapped[int | None] = mapped_column()
    slider_max: Mapped[int | None] = mapped_column()
    slider_step: Mapped[int | None] = mapped_column()
    slider_labels: Mapped[Any] = mapped_column(JSONB, nullable=True)
    eligibility_rule: Mapped[EligibilityRule] = mapped_column(
        EligibilityRuleType, server_default="open"
    )
    eligibility_config: Mapped[Any] = mapped_column(JSONB, nullable=True)
    superfan_weight_multiplier: Mapped[Decimal | None] = mapped_column(
        Numeric(5, 2), server_default=text("1.0")
    )
    nft_holder_weight: Mapped[Decimal | None] = mapped_column(
        Numeric(5, 2), server_default=text("1.0")
    )
    start_time: Mapped[datetime | None] = mapped_column()
    end_time: Mapped[datetime | None] = mapped_column()
    is_active: Mapped[bool] = mapped_column(server_default=false())
    display_order: Mapped[int] = mapped_column(server_default=text("0"))
    results_json: Mapped[Any] = mapped_column(JSONB, nullable=True)
    results_computed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class VStudioVote(Base):
    """One vote on a decision point by a user, a wallet or an anonymous id."""

    __tablename__ = "vstudio_votes"
    __table_args__ = (
        Index(
            "vstudio_votes_user_decision_idx",
            "user_id",
            "decision_point_id",
            unique=True,
        ),
        Index(
            "vstudio_votes_wallet_decision_idx",
            "wallet_address",
            "decision_point_id",
            unique=True,
        ),
        Index("vstudio_votes_decision_point_idx", "decision_point_id"),
        Index("vstudio_votes_session_id_idx", "vstudio_session_id"),
        Index("vstudio_votes_user_id_idx", "user_id"),
        Index("vstudio_votes_wallet_idx", "wallet_address"),
        Index("vstudio_votes_created_at_idx", "created_at"),
    )

    id: Mapped[UUIDPk]
    decision_point_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("vstudio_decision_points.id", ondelete="CASCADE")
    )
    vstudio_session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vstudio_sessions.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    wallet_address: Mapped[str | None] = mapped_column(String(255))
    anonymous_id: Mapped[str | None] = mapped_column(String(100))
    option_selected: Mapped[str | None] = mapped_column(String(100))
    slider_value: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    text_response: Mapped[str | None] = mapped_column(Text)
    ranking_order: Mapped[Any] = mapped_column(JSONB, nullable=True)
    weight: Mapped[Decimal] = mapped_column(Numeric(10, 4), server_default=text("1.0"))
    verified_nft_holder: Mapped[bool] = mapped_column(server_default=false())
    verified_coin_holder: Mapped[bool] = mapped_column(server_default=false())
    verified_subscriber: Mapped[bool] = mapped_column(server_default=false())
    client_ip_hash: Mapped[str | None] = mapped_column(String(64))  # [PII-derived]
    user_agent: Mapped[str | None] = mapped_column(String(500))  # [PII-ish]
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class VStudioParticipant(Base):
    """Per-session participation record and per-participant engagement counters."""

    __tablename__ = "vstudio_participants"
    __table_args__ = (
        Index(
            "vstudio_participants_session_user_idx",
            "vstudio_session_id",
            "user_id",
            unique=True,
        ),
        Index(
            "vstudio_participants_session_wallet_idx",
            "vstudio_session_id",
            "wallet_address",
            unique=True,
        ),
        Index("vstudio_participants_session_id_idx", "vstudio_session_id"),
        Index("vstudio_participants_user_id_idx", "user_id"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint(
            "votes_count >= 0 AND messages_count >= 0 AND reactions_count >= 0 AND total_time_seconds >= 0",
            name="counters_non_negative",
        ),
    )

    id: Mapped[UUIDPk]
    vstudio_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("vstudio_sessions.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    wallet_address: Mapped[str | None] = mapped_column(String(255))
    joined_at: Mapped[datetime] = mapped_column(server_default=func.now())
    left_at: Mapped[datetime | None] = mapped_column()
    votes_count: Mapped[int] = mapped_column(server_default=text("0"))
    messages_count: Mapped[int] = mapped_column(server_default=text("0"))
    reactions_count: Mapped[int] = mapped_column(server_default=text("0"))
    total_time_seconds: Mapped[int] = mapped_column(server_default=text("0"))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class VStudioEngagementEvent(Base):
    """High-volume granular engagement log (partition/archive candidate; see retention)."""

    __tablename__ = "vstudio_engagement_events"
    __table_args__ = (
        Index("vstudio_events_session_id_idx", "vstudio_session_id"),
        Index("vstudio_events_event_type_idx", "event_type"),
        Index("vstudio_events_created_at_idx", "created_at"),
    )

    id: Mapped[UUIDPk]
    vstudio_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("vstudio_sessions.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    wallet_address: Mapped[str | None] = mapped_column(String(255))
    event_type: Mapped[EngagementEventType] = mapped_column(EngagementEventTypeType)
    event_data: Mapped[Any] = mapped_column(JSONB, nullable=True)
    decision_point_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("vstudio_decision_points.id")
    )
    created_at: Mapped[CreatedAt]


class VStudioChatMessage(Base):
    """Optional session chat with moderation flags."""

    __tablename__ = "vstudio_chat_messages"
    __table_args__ = (
        Index("vstudio_chat_session_id_idx", "vstudio_session_id"),
        Index("vstudio_chat_user_id_idx", "user_id"),
        Index("vstudio_chat_created_at_idx", "created_at"),
    )

    id: Mapped[UUIDPk]
    vstudio_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("vstudio_sessions.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text)
    is_moderated: Mapped[bool] = mapped_column(server_default=false())
    moderated_at: Mapped[datetime | None] = mapped_column()
    moderated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    moderation_reason: Mapped[str | None] = mapped_column(String(200))
    is_highlighted: Mapped[bool] = mapped_column(server_default=false())
    is_pinned: Mapped[bool] = mapped_column(server_default=false())
    created_at: Mapped[CreatedAt]
