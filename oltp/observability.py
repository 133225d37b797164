"""Module `observability`: Audit log, security events, system events and rate-limit state."""

from __future__ import annotations

import enum
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
from sqlalchemy.dialects.postgresql import INET, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UpdatedAt, UUIDPk, pg_enum


class AuditActionCategory(enum.StrEnum):
    AUTHENTICATION = "authentication"
    AUTHORIZATION = "authorization"
    MASTER = "master"
    IPO = "ipo"
    REVENUE = "revenue"
    SUBSCRIPTION = "subscription"
    VSTUDIO = "vstudio"
    ADMIN = "admin"
    SYSTEM = "system"


AuditActionCategoryType = pg_enum(AuditActionCategory, "audit_action_category")


class SecuritySeverity(enum.StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SecuritySeverityType = pg_enum(SecuritySeverity, "security_severity")


class SecurityEventType(enum.StrEnum):
    FAILED_LOGIN = "failed_login"
    SUSPICIOUS_ACTIVITY = "suspicious_activity"
    RATE_LIMIT_EXCEEDED = "rate_limit_exceeded"
    INVALID_TOKEN = "invalid_token"
    UNAUTHORIZED_ACCESS = "unauthorized_access"
    DATA_EXPORT = "data_export"
    ADMIN_ACTION = "admin_action"
    CONFIGURATION_CHANGE = "configuration_change"
    VULNERABILITY_DETECTED = "vulnerability_detected"
    UNUSUAL_PATTERN = "unusual_pattern"


SecurityEventTypeType = pg_enum(SecurityEventType, "security_event_type")


class AuditLog(Base):
    """Append-only log of significant backend actions (never modified)."""

    __tablename__ = "audit_logs"
    __table_args__ = (
        Index("audit_logs_user_id_idx", "user_id"),
        Index("audit_logs_action_category_idx", "action_category"),
        Index("audit_logs_action_idx", "action"),
        Index("audit_logs_target_type_idx", "target_type"),
        Index("audit_logs_target_id_idx", "target_id"),
        Index("audit_logs_created_at_idx", "created_at"),
        Index("audit_logs_request_id_idx", "request_id"),
    )

    id: Mapped[UUIDPk]
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor_type: Mapped[str] = mapped_column(String(50))
    actor_identifier: Mapped[str | None] = mapped_column(String(255))  # [PII]
    action_category: Mapped[AuditActionCategory] = mapped_column(AuditActionCategoryType)
    action: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    target_type: Mapped[str | None] = mapped_column(String(50))
    target_id: Mapped[uuid.UUID | None] = mapped_column()
    target_identifier: Mapped[str | None] = mapped_column(String(255))
    previous_state: Mapped[Any] = mapped_column(JSONB, nullable=True)
    new_state: Mapped[Any] = mapped_column(JSONB, nullable=True)
    changed_fields: Mapped[Any] = mapped_column(JSONB, nullable=True)
    ip_address: Mapped[str | None] = mapped_column(INET)  # [PII]
    user_agent: Mapped[str | None] = mapped_column(String(500))  # [PII-ish]
    request_id: Mapped[str | None] = mapped_column(String(100))
    success: Mapped[bool] = mapped_column(server_default=true())
    error_message: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[Any] = mapped_column("metadata", JSONB, nullable=True)
    created_at: Mapped[CreatedAt]


class SecurityEvent(Base):
    """Security-relevant events with investigation / resolution workflow."""

    __tablename__ = "security_events"
    __table_args__ = (
        Index("security_events_event_type_idx", "event_type"),
        Index("security_events_severity_idx", "severity"),
        Index("security_events_user_id_idx", "user_id"),
        Index("security_events_ip_address_idx", "ip_address"),
        Index("security_events_investigated_idx", "is_investigated"),
        Index("security_events_created_at_idx", "created_at"),
    )

    id: Mapped[UUIDPk]
    event_type: Mapped[SecurityEventType] = mapped_column(SecurityEventTypeType)
    severity: Mapped[SecuritySeverity] = mapped_column(SecuritySeverityType)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    wallet_address: Mapped[str | None] = mapped_column(String(255))  # [PII-linkable]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[str | None] = mapped_column(INET)  # [PII]
    user_agent: Mapped[str | None] = mapped_column(String(500))  # [PII-ish]
    request_path: Mapped[str | None] = mapped_column(String(500))
    request_method: Mapped[str | None] = mapped_column(String(10))
    event_data: Mapped[Any] = mapped_column(JSONB, nullable=True)
    is_investigated: Mapped[bool] = mapped_column(server_default=false())
    investigated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    investigated_at: Mapped[datetime | None] = mapped_column()
    investigation_notes: Mapped[str | None] = mapped_column(Text)
    is_resolved: Mapped[bool] = mapped_column(server_default=false())
    resolution: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[CreatedAt]


class SystemEvent(Base):
    """System/job-level observability log (job runs, indexer syncs, errors)."""

    __tablename__ = "system_events"
    __table_args__ = (
        Index("system_events_event_type_idx", "event_type"),
        Index("system_events_source_idx", "source"),
        Index("system_events_job_id_idx", "job_id"),
        Index("system_events_success_idx", "success"),
        Index("system_events_created_at_idx", "created_at"),
    )

    id: Mapped[UUIDPk]
    event_type: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(100))
    message: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(100))
    entity_type: Mapped[str | None] = mapped_column(String(50))
    entity_id: Mapped[uuid.UUID | None] = mapped_column()
    duration_ms: Mapped[int | None] = mapped_column()
    records_processed: Mapped[int | None] = mapped_column()
    success: Mapped[bool] = mapped_column(server_default=true())
    error_message: Mapped[str | None] = mapped_column(Text)
    error_stack: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[Any] = mapped_column("metadata", JSONB, nullable=True)
    created_at: Mapped[CreatedAt]


class RateLimit(Base):
    """Rate-limit window state per identifier and action (Redis suggested for production)."""

    __tablename__ = "rate_limits"
    __table_args__ = (
        Index("rate_limits_identifier_action_idx", "identifier", "action"),
        Index("rate_limits_window_end_idx", "window_end"),
        Index("rate_limits_blocked_idx", "is_blocked"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint("request_count >= 0 AND rate_limit >= 0", name="counters_non_negative"),
        # end >= start (INV-26)
        CheckConstraint("window_end >= window_start", name="window"),
    )

    id: Mapped[UUIDPk]
    identifier: Mapped[str] = mapped_column(String(255))  # [PII]
    identifier_type: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(100))
    window_start: Mapped[datetime] = mapped_column()
    window_end: Mapped[datetime] = mapped_column()
    request_count: Mapped[int] = mapped_column(server_default=text("0"))
    rate_limit: Mapped[int] = mapped_column()
    is_blocked: Mapped[bool] = mapped_column(server_default=false())
    blocked_until: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
