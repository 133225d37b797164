"""Module `identity`: Users, login methods, SSO config, roles and wallets."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    false,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from oltp.base import Base, CreatedAt, UpdatedAt, UUIDPk, pg_enum


class UserRole(enum.StrEnum):
    VIEWER = "viewer"
    ARTIST = "artist"
    PRODUCER = "producer"
    ADMIN = "admin"


UserRoleType = pg_enum(UserRole, "user_role")


class AuthProvider(enum.StrEnum):
    MAGIC_LINK = "magic_link"
    GOOGLE = "google"
    MICROSOFT = "microsoft"
    APPLE = "apple"
    GITHUB = "github"
    WALLET = "wallet"


AuthProviderType = pg_enum(AuthProvider, "auth_provider")


class AccountStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    PENDING_VERIFICATION = "pending_verification"
    DELETED = "deleted"


AccountStatusType = pg_enum(AccountStatus, "account_status")


class User(Base):
    """One row per platform account (core identity)."""

    __tablename__ = "users"
    __table_args__ = (
        Index("users_email_idx", "email", unique=True),
        Index("users_status_idx", "status"),
        Index("users_created_at_idx", "created_at"),
    )

    id: Mapped[UUIDPk]
    email: Mapped[str] = mapped_column(String(255))  # [PII]
    display_name: Mapped[str] = mapped_column(String(100))  # [PII]
    avatar_url: Mapped[str | None] = mapped_column(Text)
    bio: Mapped[str | None] = mapped_column(Text)
    status: Mapped[AccountStatus] = mapped_column(AccountStatusType, server_default="active")
    email_verified: Mapped[bool] = mapped_column(server_default=false())
    two_factor_enabled: Mapped[bool] = mapped_column(server_default=false())
    two_factor_secret: Mapped[str | None] = mapped_column(String(255))  # [secret]
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
    last_login_at: Mapped[datetime | None] = mapped_column()
    deleted_at: Mapped[datetime | None] = mapped_column()


class Account(Base):
    """Login methods linked to a user (magic link, OAuth/SSO, wallet); a user may have several."""

    __tablename__ = "accounts"
    __table_args__ = (
        Index(
            "accounts_provider_account_idx",
            "provider",
            "provider_account_id",
            unique=True,
        ),
        Index("accounts_user_id_idx", "user_id"),
    )

    id: Mapped[UUIDPk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    provider: Mapped[AuthProvider] = mapped_column(AuthProviderType)
    provider_account_id: Mapped[str] = mapped_column(String(255))
    access_token: Mapped[str | None] = mapped_column(Text)  # [secret]
    refresh_token: Mapped[str | None] = mapped_column(Text)  # [secret]
    access_token_expires: Mapped[datetime | None] = mapped_column()
    provider_metadata: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class IdentityProvider(Base):
    """Admin-managed SSO provider configuration; one row per provider kind."""

    __tablename__ = "identity_providers"
    __table_args__ = (Index("identity_providers_provider_idx", "provider", unique=True),)

    id: Mapped[UUIDPk]
    name: Mapped[str] = mapped_column(String(100))
    provider: Mapped[AuthProvider] = mapped_column(AuthProviderType)
    client_id: Mapped[str | None] = mapped_column(String(255))
    client_secret: Mapped[str | None] = mapped_column(Text)  # [secret]
    enabled: Mapped[bool] = mapped_column(server_default=true())
    config_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class Role(Base):
    """Role catalogue; one row per `user_role` value."""

    __tablename__ = "roles"
    __table_args__ = (Index("roles_name_idx", "name", unique=True),)

    id: Mapped[UUIDPk]
    name: Mapped[UserRole] = mapped_column(UserRoleType)
    description: Mapped[str | None] = mapped_column(Text)
    permissions: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class UserRole(Base):
    """Many-to-many user↔role assignment with optional expiry."""

    __tablename__ = "user_roles"
    __table_args__ = (
        Index("user_roles_user_role_idx", "user_id", "role_id", unique=True),
        Index("user_roles_user_id_idx", "user_id"),
        Index("user_roles_role_id_idx", "role_id"),
    )

    id: Mapped[UUIDPk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    assigned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column()


class UserWallet(Base):
    """Off-chain record of which wallet addresses (on which chain) belong to a user; ownership itself is on-chain."""

    __tablename__ = "user_wallets"
    __table_args__ = (
        Index("user_wallets_address_chain_idx", "wallet_address", "chain_id", unique=True),
        Index("user_wallets_user_id_idx", "user_id"),
        Index("user_wallets_address_idx", "wallet_address"),
    )

    id: Mapped[UUIDPk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    wallet_address: Mapped[str] = mapped_column(String(255))  # [PII-linkable]
    chain_id: Mapped[str] = mapped_column(String(50))
    is_primary: Mapped[bool] = mapped_column(server_default=false())
    verified: Mapped[bool] = mapped_column(server_default=false())
    verified_at: Mapped[datetime | None] = mapped_column()
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
