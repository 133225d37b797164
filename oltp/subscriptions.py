"""Module `subscriptions`: Plans, subscriptions, invoices, payment providers, webhook log and payment methods."""

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
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UpdatedAt, UUIDPk, pg_enum


class PlanInterval(enum.StrEnum):
    MONTHLY = "monthly"
    YEARLY = "yearly"
    LIFETIME = "lifetime"


PlanIntervalType = pg_enum(PlanInterval, "plan_interval")


class SubscriptionStatus(enum.StrEnum):
    ACTIVE = "active"
    TRIALING = "trialing"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    UNPAID = "unpaid"
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    PAUSED = "paused"


SubscriptionStatusType = pg_enum(SubscriptionStatus, "subscription_status")


class InvoiceStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


InvoiceStatusType = pg_enum(InvoiceStatus, "invoice_status")


class PaymentProviderType(enum.StrEnum):
    STRIPE = "stripe"
    CRYPTO_ETH = "crypto_eth"
    CRYPTO_SOL = "crypto_sol"
    PAYPAL = "paypal"
    APPLE_PAY = "apple_pay"


PaymentProviderTypeType = pg_enum(PaymentProviderType, "payment_provider_type")


class WebhookStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    PROCESSED = "processed"
    FAILED = "failed"
    SKIPPED = "skipped"


WebhookStatusType = pg_enum(WebhookStatus, "webhook_status")


class SubscriptionPlan(Base):
    """Plan catalogue (tiers, price, limits, feature flags)."""

    __tablename__ = "subscription_plans"
    __table_args__ = (
        Index("subscription_plans_slug_idx", "slug", unique=True),
        Index("subscription_plans_active_idx", "is_active"),
        Index("subscription_plans_order_idx", "display_order"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint("price_usd >= 0", name="price_non_negative"),
    )

    id: Mapped[UUIDPk]
    name: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    price_usd: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    interval: Mapped[PlanInterval] = mapped_column(PlanIntervalType)
    stripe_price_id: Mapped[str | None] = mapped_column(String(100))
    stripe_product_id: Mapped[str | None] = mapped_column(String(100))
    max_masters: Mapped[int | None] = mapped_column()
    max_ipos_per_month: Mapped[int | None] = mapped_column()
    vstudio_sessions_included: Mapped[int | None] = mapped_column()
    features: Mapped[Any] = mapped_column(JSONB, nullable=True)
    feature_list: Mapped[Any] = mapped_column(JSONB, nullable=True)
    is_active: Mapped[bool] = mapped_column(server_default=true())
    is_public: Mapped[bool] = mapped_column(server_default=true())
    display_order: Mapped[int] = mapped_column(server_default=text("0"))
    trial_days: Mapped[int | None] = mapped_column(server_default=text("0"))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class Subscription(Base):
    """A user's subscription instance (provider-managed, Stripe-first)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        Index("subscriptions_user_id_idx", "user_id"),
        Index("subscriptions_plan_id_idx", "plan_id"),
        Index("subscriptions_status_idx", "status"),
        Index("subscriptions_stripe_sub_id_idx", "stripe_subscription_id"),
        Index("subscriptions_stripe_customer_idx", "stripe_customer_id"),
        Index("subscriptions_period_end_idx", "current_period_end"),
        # end >= start (INV-26)
        CheckConstraint("current_period_end >= current_period_start", name="period_window"),
        # end >= start (INV-26)
        CheckConstraint("trial_end >= trial_start", name="trial_window"),
    )

    id: Mapped[UUIDPk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subscription_plans.id"))
    status: Mapped[SubscriptionStatus] = mapped_column(
        SubscriptionStatusType, server_default="active"
    )
    current_period_start: Mapped[datetime] = mapped_column()
    current_period_end: Mapped[datetime] = mapped_column()
    trial_start: Mapped[datetime | None] = mapped_column()
    trial_end: Mapped[datetime | None] = mapped_column()
    cancel_at_period_end: Mapped[bool] = mapped_column(server_default=false())
    canceled_at: Mapped[datetime | None] = mapped_column()
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(100))
    stripe_customer_id: Mapped[str | None] = mapped_column(String(100))
    default_payment_method_id: Mapped[str | None] = mapped_column(String(100))
    metadata_: Mapped[Any] = mapped_column("metadata", JSONB, nullable=True)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class Invoice(Base):
    """Billing records, mostly synced from the payment provider."""

    __tablename__ = "invoices"
    __table_args__ = (
        Index("invoices_stripe_invoice_id_idx", "stripe_invoice_id", unique=True),
        Index("invoices_subscription_id_idx", "subscription_id"),
        Index("invoices_user_id_idx", "user_id"),
        Index("invoices_status_idx", "status"),
        Index("invoices_due_date_idx", "due_date"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint("amount_due >= 0 AND amount_paid >= 0", name="amounts_non_negative"),
        # end >= start (INV-26)
        CheckConstraint("period_end >= period_start", name="period_window"),
    )

    id: Mapped[UUIDPk]
    subscription_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subscriptions.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    invoice_number: Mapped[str | None] = mapped_column(String(50))
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(100))
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(100))
    amount_due: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(10, 2), server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(3), server_default="usd")
    status: Mapped[InvoiceStatus] = mapped_column(InvoiceStatusType, server_default="open")
    period_start: Mapped[datetime | None] = mapped_column()
    period_end: Mapped[datetime | None] = mapped_column()
    due_date: Mapped[datetime | None] = mapped_column()
    paid_at: Mapped[datetime | None] = mapped_column()
    hosted_invoice_url: Mapped[str | None] = mapped_column(Text)
    invoice_pdf_url: Mapped[str | None] = mapped_column(Text)
    line_items: Mapped[Any] = mapped_column(JSONB, nullable=True)
    metadata_: Mapped[Any] = mapped_column("metadata", JSONB, nullable=True)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class PaymentProvider(Base):
    """Admin-managed payment integration config; one row per provider type."""

    __tablename__ = "payment_providers"
    __table_args__ = (
        Index("payment_providers_type_idx", "provider_type", unique=True),
        Index("payment_providers_enabled_idx", "is_enabled"),
    )

    id: Mapped[UUIDPk]
    name: Mapped[str] = mapped_column(String(100))
    provider_type: Mapped[PaymentProviderType] = mapped_column(PaymentProviderTypeType)
    is_enabled: Mapped[bool] = mapped_column(server_default=false())
    is_default: Mapped[bool] = mapped_column(server_default=false())
    supported_currencies: Mapped[Any] = mapped_column(JSONB, nullable=True)
    supported_regions: Mapped[Any] = mapped_column(JSONB, nullable=True)
    webhook_endpoint: Mapped[str | None] = mapped_column(Text)
    webhook_secret: Mapped[str | None] = mapped_column(Text)  # [secret]
    config_json: Mapped[str | None] = mapped_column(Text)  # [secret]
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class WebhookLog(Base):
    """Every inbound payment-provider webhook, for debugging and replay."""

    __tablename__ = "webhooks_log"
    __table_args__ = (
        Index("webhooks_log_event_id_idx", "event_id", unique=True),
        Index("webhooks_log_provider_idx", "provider_name"),
        Index("webhooks_log_event_type_idx", "event_type"),
        Index("webhooks_log_status_idx", "status"),
        Index("webhooks_log_created_at_idx", "created_at"),
        # non-negative amounts, balances and counters (INV-05)
        CheckConstraint("retry_count >= 0", name="retry_count_non_negative"),
    )

    id: Mapped[UUIDPk]
    provider_name: Mapped[str] = mapped_column(String(100))
    provider_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payment_providers.id"))
    event_type: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str | None] = mapped_column(String(100))
    payload_metadata: Mapped[Any] = mapped_column(JSONB, nullable=True)
    status: Mapped[WebhookStatus] = mapped_column(WebhookStatusType, server_default="pending")
    processed_at: Mapped[datetime | None] = mapped_column()
    processing_error: Mapped[str | None] = mapped_column(Text)
    retry_count: Mapped[int] = mapped_column(server_default=text("0"))
    ip_address: Mapped[str | None] = mapped_column(String(45))  # [PII]
    user_agent: Mapped[str | None] = mapped_column(String(500))  # [PII-ish]
    created_at: Mapped[CreatedAt]


class PaymentMethod(Base):
    """Saved payment methods (non-sensitive display data only)."""

    __tablename__ = "payment_methods"
    __table_args__ = (
        Index("payment_methods_stripe_pm_id_idx", "stripe_payment_method_id", unique=True),
        Index("payment_methods_user_id_idx", "user_id"),
        Index("payment_methods_default_idx", "is_default"),
    )

    id: Mapped[UUIDPk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    stripe_payment_method_id: Mapped[str | None] = mapped_column(String(100))
    payment_method_type: Mapped[str] = mapped_column(String(50))
    display_name: Mapped[str | None] = mapped_column(String(100))
    brand: Mapped[str | None] = mapped_column(String(50))
    last4: Mapped[str | None] = mapped_column(String(4))
    expiry_month: Mapped[int | None] = mapped_column()
    expiry_year: Mapped[int | None] = mapped_column()
    is_default: Mapped[bool] = mapped_column(server_default=false())
    is_expired: Mapped[bool] = mapped_column(server_default=false())
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
