"""Initial OLTP schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27

The complete AudiFi OLTP schema of ../shared/spec (nine modules, 42 tables, 27 enums) plus
the warehouse's streaming module (2 tables, 2 enums), in the dedicated schema ``oltp``.
Named CHECK constraints carry the single-row hard rules (see the models).

Use the helpers in ``migrations.ddl`` for tables, columns and indexes: they keep the
analytics replica (which runs these same migrations in replica mode) and the publication
in step with ``oltp.classification``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import ddl

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA oltp")
    # Enum types first: tables reference them (token_type is declared by the design but
    # used by no column).
    ddl.create_enum("user_role", ["viewer", "artist", "producer", "admin"])
    ddl.create_enum(
        "auth_provider", ["magic_link", "google", "microsoft", "apple", "github", "wallet"]
    )
    ddl.create_enum("account_status", ["active", "suspended", "pending_verification", "deleted"])
    ddl.create_enum("master_type", ["track", "album"])
    ddl.create_enum("master_status", ["draft", "pending", "approved", "live", "archived"])
    ddl.create_enum("ipo_status", ["draft", "scheduled", "live", "closed", "cancelled"])
    ddl.create_enum("dividend_distribution_model", ["per_master", "per_artist", "platform"])
    ddl.create_enum("nft_listing_status", ["not_listed", "listed", "in_escrow", "sold"])
    ddl.create_enum("transfer_type", ["mint", "transfer", "sale", "burn", "claim"])
    ddl.create_enum(
        "revenue_source_type",
        [
            "manual",
            "distributor",
            "pro",
            "sync",
            "merchandise",
            "live",
            "direct",
            "secondary",
            "other",
        ],
    )
    ddl.create_enum(
        "revenue_event_status",
        ["pending", "verified", "deposited", "distributed", "failed", "disputed"],
    )
    ddl.create_enum("dividend_event_type", ["deposit", "distribution", "claim"])
    ddl.create_enum("token_type", ["artist_coin", "platform_token", "governance"])
    ddl.create_enum(
        "pool_type", ["uniswap_v2", "uniswap_v3", "sushiswap", "raydium", "orca", "custom"]
    )
    ddl.create_enum("pool_event_type", ["add_liquidity", "remove_liquidity", "swap"])
    ddl.create_enum(
        "vstudio_session_status",
        ["draft", "scheduled", "live", "locked", "completed", "ipo_launched", "cancelled"],
    )
    ddl.create_enum("decision_point_type", ["poll", "slider", "ranking", "open_text", "binary"])
    ddl.create_enum(
        "eligibility_rule",
        [
            "open",
            "authenticated",
            "nft_holders",
            "coin_holders",
            "subscribers",
            "superfans",
            "whitelist",
        ],
    )
    ddl.create_enum(
        "engagement_event_type",
        [
            "session_view",
            "session_join",
            "vote_cast",
            "chat_message",
            "reaction",
            "share",
            "bookmark",
        ],
    )
    ddl.create_enum("plan_interval", ["monthly", "yearly", "lifetime"])
    ddl.create_enum(
        "subscription_status",
        [
            "active",
            "trialing",
            "past_due",
            "canceled",
            "unpaid",
            "incomplete",
            "incomplete_expired",
            "paused",
        ],
    )
    ddl.create_enum("invoice_status", ["draft", "open", "paid", "void", "uncollectible"])
    ddl.create_enum(
        "payment_provider_type", ["stripe", "crypto_eth", "crypto_sol", "paypal", "apple_pay"]
    )
    ddl.create_enum("webhook_status", ["pending", "processing", "processed", "failed", "skipped"])
    ddl.create_enum(
        "audit_action_category",
        [
            "authentication",
            "authorization",
            "master",
            "ipo",
            "revenue",
            "subscription",
            "vstudio",
            "admin",
            "system",
        ],
    )
    ddl.create_enum("security_severity", ["info", "low", "medium", "high", "critical"])
    ddl.create_enum(
        "security_event_type",
        [
            "failed_login",
            "suspicious_activity",
            "rate_limit_exceeded",
            "invalid_token",
            "unauthorized_access",
            "data_export",
            "admin_action",
            "configuration_change",
            "vulnerability_detected",
            "unusual_pattern",
        ],
    )
    ddl.create_enum(
        "stream_platform", ["audifi", "spotify", "apple_music", "youtube_music", "amazon_music"]
    )
    ddl.create_enum("play_source", ["web", "ios", "android", "desktop", "embed", "vstudio"])
    # Tables are added to it as they are created (primary only).
    ddl.create_publication()
    ddl.create_table(
        "identity_providers",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "provider",
            postgresql.ENUM(name="auth_provider", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("client_id", sa.String(length=255), nullable=True),
        sa.Column("client_secret", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("config_json", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("identity_providers_pkey")),
    )
    ddl.create_index(
        "identity_providers_provider_idx", "identity_providers", ["provider"], unique=True
    )
    ddl.create_table(
        "payment_providers",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "provider_type",
            postgresql.ENUM(name="payment_provider_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("is_enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("supported_currencies", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("supported_regions", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("webhook_endpoint", sa.Text(), nullable=True),
        sa.Column("webhook_secret", sa.Text(), nullable=True),
        sa.Column("config_json", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("payment_providers_pkey")),
    )
    ddl.create_index("payment_providers_enabled_idx", "payment_providers", ["is_enabled"])
    ddl.create_index(
        "payment_providers_type_idx", "payment_providers", ["provider_type"], unique=True
    )
    ddl.create_table(
        "rate_limits",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("identifier_type", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("rate_limit", sa.Integer(), nullable=False),
        sa.Column("is_blocked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "request_count >= 0 AND rate_limit >= 0", name=op.f("rate_limits_counters_non_negative")
        ),
        sa.CheckConstraint("window_end >= window_start", name=op.f("rate_limits_window")),
        sa.PrimaryKeyConstraint("id", name=op.f("rate_limits_pkey")),
    )
    ddl.create_index("rate_limits_blocked_idx", "rate_limits", ["is_blocked"])
    ddl.create_index("rate_limits_identifier_action_idx", "rate_limits", ["identifier", "action"])
    ddl.create_index("rate_limits_window_end_idx", "rate_limits", ["window_end"])
    ddl.create_table(
        "roles",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column(
            "name",
            postgresql.ENUM(name="user_role", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("permissions", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("roles_pkey")),
    )
    ddl.create_index("roles_name_idx", "roles", ["name"], unique=True)
    ddl.create_table(
        "subscription_plans",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("slug", sa.String(length=50), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price_usd", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column(
            "interval",
            postgresql.ENUM(name="plan_interval", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("stripe_price_id", sa.String(length=100), nullable=True),
        sa.Column("stripe_product_id", sa.String(length=100), nullable=True),
        sa.Column("max_masters", sa.Integer(), nullable=True),
        sa.Column("max_ipos_per_month", sa.Integer(), nullable=True),
        sa.Column("vstudio_sessions_included", sa.Integer(), nullable=True),
        sa.Column("features", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("feature_list", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("is_public", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("display_order", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("trial_days", sa.Integer(), server_default=sa.text("0"), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("price_usd >= 0", name=op.f("subscription_plans_price_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("subscription_plans_pkey")),
    )
    ddl.create_index("subscription_plans_active_idx", "subscription_plans", ["is_active"])
    ddl.create_index("subscription_plans_order_idx", "subscription_plans", ["display_order"])
    ddl.create_index("subscription_plans_slug_idx", "subscription_plans", ["slug"], unique=True)
    ddl.create_table(
        "system_events",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("job_id", sa.String(length=100), nullable=True),
        sa.Column("entity_type", sa.String(length=50), nullable=True),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("records_processed", sa.Integer(), nullable=True),
        sa.Column("success", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("error_stack", sa.Text(), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("system_events_pkey")),
    )
    ddl.create_index("system_events_created_at_idx", "system_events", ["created_at"])
    ddl.create_index("system_events_event_type_idx", "system_events", ["event_type"])
    ddl.create_index("system_events_job_id_idx", "system_events", ["job_id"])
    ddl.create_index("system_events_source_idx", "system_events", ["source"])
    ddl.create_index("system_events_success_idx", "system_events", ["success"])
    ddl.create_table(
        "users",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("avatar_url", sa.Text(), nullable=True),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column(
            "status",
            postgresql.ENUM(name="account_status", schema="oltp", create_type=False),
            server_default="active",
            nullable=False,
        ),
        sa.Column("email_verified", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "two_factor_enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("two_factor_secret", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("users_pkey")),
    )
    ddl.create_index("users_created_at_idx", "users", ["created_at"])
    ddl.create_index("users_email_idx", "users", ["email"], unique=True)
    ddl.create_index("users_status_idx", "users", ["status"])
    ddl.create_table(
        "accounts",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "provider",
            postgresql.ENUM(name="auth_provider", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("provider_account_id", sa.String(length=255), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=True),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("access_token_expires", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_metadata", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("accounts_user_id_fkey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("accounts_pkey")),
    )
    ddl.create_index(
        "accounts_provider_account_idx",
        "accounts",
        ["provider", "provider_account_id"],
        unique=True,
    )
    ddl.create_index("accounts_user_id_idx", "accounts", ["user_id"])
    ddl.create_table(
        "artists",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("artist_name", sa.String(length=150), nullable=False),
        sa.Column("slug", sa.String(length=150), nullable=False),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("short_bio", sa.String(length=280), nullable=True),
        sa.Column("genre", sa.String(length=100), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("profile_image_url", sa.Text(), nullable=True),
        sa.Column("banner_image_url", sa.Text(), nullable=True),
        sa.Column("social_links", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("music_platforms", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("is_verified", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("total_masters", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("total_sales", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("follower_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "total_masters >= 0 AND total_sales >= 0 AND follower_count >= 0",
            name=op.f("artists_counters_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("artists_user_id_fkey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("artists_pkey")),
    )
    ddl.create_index("artists_genre_idx", "artists", ["genre"])
    ddl.create_index("artists_name_idx", "artists", ["artist_name"])
    ddl.create_index("artists_slug_idx", "artists", ["slug"], unique=True)
    ddl.create_index("artists_user_id_idx", "artists", ["user_id"], unique=True)
    ddl.create_index("artists_verified_idx", "artists", ["is_verified"])
    ddl.create_table(
        "audit_logs",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_type", sa.String(length=50), nullable=False),
        sa.Column("actor_identifier", sa.String(length=255), nullable=True),
        sa.Column(
            "action_category",
            postgresql.ENUM(name="audit_action_category", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("target_type", sa.String(length=50), nullable=True),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("target_identifier", sa.String(length=255), nullable=True),
        sa.Column("previous_state", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("new_state", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("changed_fields", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("ip_address", postgresql.INET(), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.Column("success", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("audit_logs_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("audit_logs_pkey")),
    )
    ddl.create_index("audit_logs_action_category_idx", "audit_logs", ["action_category"])
    ddl.create_index("audit_logs_action_idx", "audit_logs", ["action"])
    ddl.create_index("audit_logs_created_at_idx", "audit_logs", ["created_at"])
    ddl.create_index("audit_logs_request_id_idx", "audit_logs", ["request_id"])
    ddl.create_index("audit_logs_target_id_idx", "audit_logs", ["target_id"])
    ddl.create_index("audit_logs_target_type_idx", "audit_logs", ["target_type"])
    ddl.create_index("audit_logs_user_id_idx", "audit_logs", ["user_id"])
    ddl.create_table(
        "payment_methods",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("stripe_payment_method_id", sa.String(length=100), nullable=True),
        sa.Column("payment_method_type", sa.String(length=50), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("brand", sa.String(length=50), nullable=True),
        sa.Column("last4", sa.String(length=4), nullable=True),
        sa.Column("expiry_month", sa.Integer(), nullable=True),
        sa.Column("expiry_year", sa.Integer(), nullable=True),
        sa.Column("is_default", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_expired", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("payment_methods_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("payment_methods_pkey")),
    )
    ddl.create_index("payment_methods_default_idx", "payment_methods", ["is_default"])
    ddl.create_index(
        "payment_methods_stripe_pm_id_idx",
        "payment_methods",
        ["stripe_payment_method_id"],
        unique=True,
    )
    ddl.create_index("payment_methods_user_id_idx", "payment_methods", ["user_id"])
    ddl.create_table(
        "producers",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("producer_name", sa.String(length=150), nullable=False),
        sa.Column("slug", sa.String(length=150), nullable=False),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("specialty", sa.String(length=200), nullable=True),
        sa.Column("profile_image_url", sa.Text(), nullable=True),
        sa.Column("social_links", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("is_verified", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("total_credits", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("total_credits >= 0", name=op.f("producers_counters_non_negative")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("producers_user_id_fkey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("producers_pkey")),
    )
    ddl.create_index("producers_name_idx", "producers", ["producer_name"])
    ddl.create_index("producers_slug_idx", "producers", ["slug"], unique=True)
    ddl.create_index("producers_user_id_idx", "producers", ["user_id"], unique=True)
    ddl.create_table(
        "security_events",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column(
            "event_type",
            postgresql.ENUM(name="security_event_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column(
            "severity",
            postgresql.ENUM(name="security_severity", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("wallet_address", sa.String(length=255), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("ip_address", postgresql.INET(), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("request_path", sa.String(length=500), nullable=True),
        sa.Column("request_method", sa.String(length=10), nullable=True),
        sa.Column("event_data", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("is_investigated", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("investigated_by", sa.Uuid(), nullable=True),
        sa.Column("investigated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("investigation_notes", sa.Text(), nullable=True),
        sa.Column("is_resolved", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("resolution", sa.String(length=100), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["investigated_by"],
            ["oltp.users.id"],
            name=op.f("security_events_investigated_by_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("security_events_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("security_events_pkey")),
    )
    ddl.create_index("security_events_created_at_idx", "security_events", ["created_at"])
    ddl.create_index("security_events_event_type_idx", "security_events", ["event_type"])
    ddl.create_index("security_events_investigated_idx", "security_events", ["is_investigated"])
    ddl.create_index("security_events_ip_address_idx", "security_events", ["ip_address"])
    ddl.create_index("security_events_severity_idx", "security_events", ["severity"])
    ddl.create_index("security_events_user_id_idx", "security_events", ["user_id"])
    ddl.create_table(
        "subscriptions",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            postgresql.ENUM(name="subscription_status", schema="oltp", create_type=False),
            server_default="active",
            nullable=False,
        ),
        sa.Column("current_period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current_period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trial_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("trial_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "cancel_at_period_end", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("canceled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("stripe_subscription_id", sa.String(length=100), nullable=True),
        sa.Column("stripe_customer_id", sa.String(length=100), nullable=True),
        sa.Column("default_payment_method_id", sa.String(length=100), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "current_period_end >= current_period_start", name=op.f("subscriptions_period_window")
        ),
        sa.CheckConstraint("trial_end >= trial_start", name=op.f("subscriptions_trial_window")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["oltp.subscription_plans.id"], name=op.f("subscriptions_plan_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("subscriptions_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("subscriptions_pkey")),
    )
    ddl.create_index("subscriptions_period_end_idx", "subscriptions", ["current_period_end"])
    ddl.create_index("subscriptions_plan_id_idx", "subscriptions", ["plan_id"])
    ddl.create_index("subscriptions_status_idx", "subscriptions", ["status"])
    ddl.create_index("subscriptions_stripe_customer_idx", "subscriptions", ["stripe_customer_id"])
    ddl.create_index("subscriptions_stripe_sub_id_idx", "subscriptions", ["stripe_subscription_id"])
    ddl.create_index("subscriptions_user_id_idx", "subscriptions", ["user_id"])
    ddl.create_table(
        "user_roles",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_by", sa.Uuid(), nullable=True),
        sa.Column(
            "assigned_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by"], ["oltp.users.id"], name=op.f("user_roles_assigned_by_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["oltp.roles.id"], name=op.f("user_roles_role_id_fkey"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("user_roles_user_id_fkey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("user_roles_pkey")),
    )
    ddl.create_index("user_roles_role_id_idx", "user_roles", ["role_id"])
    ddl.create_index("user_roles_user_id_idx", "user_roles", ["user_id"])
    ddl.create_index("user_roles_user_role_idx", "user_roles", ["user_id", "role_id"], unique=True)
    ddl.create_table(
        "user_wallets",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("wallet_address", sa.String(length=255), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("is_primary", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("verified", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["oltp.users.id"],
            name=op.f("user_wallets_user_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("user_wallets_pkey")),
    )
    ddl.create_index(
        "user_wallets_address_chain_idx",
        "user_wallets",
        ["wallet_address", "chain_id"],
        unique=True,
    )
    ddl.create_index("user_wallets_address_idx", "user_wallets", ["wallet_address"])
    ddl.create_index("user_wallets_user_id_idx", "user_wallets", ["user_id"])
    ddl.create_table(
        "webhooks_log",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("provider_name", sa.String(length=100), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("payload_metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "status",
            postgresql.ENUM(name="webhook_status", schema="oltp", create_type=False),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("processing_error", sa.Text(), nullable=True),
        sa.Column("retry_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("retry_count >= 0", name=op.f("webhooks_log_retry_count_non_negative")),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["oltp.payment_providers.id"],
            name=op.f("webhooks_log_provider_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("webhooks_log_pkey")),
    )
    ddl.create_index("webhooks_log_created_at_idx", "webhooks_log", ["created_at"])
    ddl.create_index("webhooks_log_event_id_idx", "webhooks_log", ["event_id"], unique=True)
    ddl.create_index("webhooks_log_event_type_idx", "webhooks_log", ["event_type"])
    ddl.create_index("webhooks_log_provider_idx", "webhooks_log", ["provider_name"])
    ddl.create_index("webhooks_log_status_idx", "webhooks_log", ["status"])
    ddl.create_table(
        "artist_follows",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("follower_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["artist_id"],
            ["oltp.artists.id"],
            name=op.f("artist_follows_artist_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follower_id"],
            ["oltp.users.id"],
            name=op.f("artist_follows_follower_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("artist_follows_pkey")),
    )
    ddl.create_index(
        "artist_follows_artist_follower_idx",
        "artist_follows",
        ["artist_id", "follower_id"],
        unique=True,
    )
    ddl.create_index("artist_follows_artist_id_idx", "artist_follows", ["artist_id"])
    ddl.create_index("artist_follows_follower_id_idx", "artist_follows", ["follower_id"])
    ddl.create_table(
        "artist_tokens",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("contract_address", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("symbol", sa.String(length=20), nullable=False),
        sa.Column("decimals", sa.String(length=2), server_default="18", nullable=False),
        sa.Column("total_supply", sa.Numeric(precision=78, scale=0), nullable=False),
        sa.Column("circulating_supply", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("deployment_tx_hash", sa.String(length=255), nullable=True),
        sa.Column("deployed_at_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("logo_url", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_tradable", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("trading_enabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_price_usd", sa.Numeric(precision=28, scale=18), nullable=True),
        sa.Column("market_cap_usd", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("volume_24h_usd", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("price_change_24h", sa.Numeric(precision=10, scale=4), nullable=True),
        sa.Column("holders_count", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("last_market_data_update", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_indexed_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("last_indexed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "total_supply >= 0 AND circulating_supply >= 0 AND holders_count >= 0",
            name=op.f("artist_tokens_supplies_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["artist_id"], ["oltp.artists.id"], name=op.f("artist_tokens_artist_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("artist_tokens_pkey")),
    )
    ddl.create_index(
        "artist_tokens_artist_chain_idx", "artist_tokens", ["artist_id", "chain_id"], unique=True
    )
    ddl.create_index("artist_tokens_artist_id_idx", "artist_tokens", ["artist_id"])
    ddl.create_index(
        "artist_tokens_chain_address_idx",
        "artist_tokens",
        ["chain_id", "contract_address"],
        unique=True,
    )
    ddl.create_index("artist_tokens_symbol_idx", "artist_tokens", ["symbol"])
    ddl.create_index("artist_tokens_tradable_idx", "artist_tokens", ["is_tradable"])
    ddl.create_table(
        "invoices",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("invoice_number", sa.String(length=50), nullable=True),
        sa.Column("stripe_invoice_id", sa.String(length=100), nullable=True),
        sa.Column("stripe_payment_intent_id", sa.String(length=100), nullable=True),
        sa.Column("amount_due", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column(
            "amount_paid",
            sa.Numeric(precision=10, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=3), server_default="usd", nullable=False),
        sa.Column(
            "status",
            postgresql.ENUM(name="invoice_status", schema="oltp", create_type=False),
            server_default="open",
            nullable=False,
        ),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hosted_invoice_url", sa.Text(), nullable=True),
        sa.Column("invoice_pdf_url", sa.Text(), nullable=True),
        sa.Column("line_items", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "amount_due >= 0 AND amount_paid >= 0", name=op.f("invoices_amounts_non_negative")
        ),
        sa.CheckConstraint("period_end >= period_start", name=op.f("invoices_period_window")),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["oltp.subscriptions.id"],
            name=op.f("invoices_subscription_id_fkey"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["oltp.users.id"], name=op.f("invoices_user_id_fkey")),
        sa.PrimaryKeyConstraint("id", name=op.f("invoices_pkey")),
    )
    ddl.create_index("invoices_due_date_idx", "invoices", ["due_date"])
    ddl.create_index("invoices_status_idx", "invoices", ["status"])
    ddl.create_index(
        "invoices_stripe_invoice_id_idx", "invoices", ["stripe_invoice_id"], unique=True
    )
    ddl.create_index("invoices_subscription_id_idx", "invoices", ["subscription_id"])
    ddl.create_index("invoices_user_id_idx", "invoices", ["user_id"])
    ddl.create_table(
        "masters",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "master_type",
            postgresql.ENUM(name="master_type", schema="oltp", create_type=False),
            server_default="track",
            nullable=False,
        ),
        sa.Column(
            "status",
            postgresql.ENUM(name="master_status", schema="oltp", create_type=False),
            server_default="draft",
            nullable=False,
        ),
        sa.Column("genre", sa.String(length=100), nullable=True),
        sa.Column("bpm", sa.Integer(), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("release_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("isrc", sa.String(length=12), nullable=True),
        sa.Column(
            "mood_tags",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=True,
        ),
        sa.Column("audio_file_name", sa.String(length=255), nullable=True),
        sa.Column("audio_ipfs_hash", sa.String(length=100), nullable=True),
        sa.Column("cover_image_url", sa.Text(), nullable=True),
        sa.Column("cover_image_ipfs_hash", sa.String(length=100), nullable=True),
        sa.Column("metadata_ipfs_hash", sa.String(length=100), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["artist_id"], ["oltp.artists.id"], name=op.f("masters_artist_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("masters_pkey")),
    )
    ddl.create_index("masters_artist_id_idx", "masters", ["artist_id"])
    ddl.create_index("masters_created_at_idx", "masters", ["created_at"])
    ddl.create_index("masters_genre_idx", "masters", ["genre"])
    ddl.create_index("masters_release_date_idx", "masters", ["release_date"])
    ddl.create_index("masters_status_idx", "masters", ["status"])
    ddl.create_table(
        "dividend_contracts",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=True),
        sa.Column("artist_id", sa.Uuid(), nullable=True),
        sa.Column(
            "distribution_model",
            postgresql.ENUM(name="dividend_distribution_model", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("contract_address", sa.String(length=255), nullable=False),
        sa.Column("deployment_tx_hash", sa.String(length=255), nullable=True),
        sa.Column("deployed_at_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("linked_master_contract", sa.String(length=255), nullable=True),
        sa.Column(
            "total_revenue_deposited",
            sa.Numeric(precision=78, scale=0),
            server_default=sa.text("0"),
            nullable=True,
        ),
        sa.Column(
            "total_dividends_distributed",
            sa.Numeric(precision=78, scale=0),
            server_default=sa.text("0"),
            nullable=True,
        ),
        sa.Column("last_indexed_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("last_indexed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "total_revenue_deposited >= 0 AND total_dividends_distributed >= 0",
            name=op.f("dividend_contracts_totals_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["artist_id"], ["oltp.artists.id"], name=op.f("dividend_contracts_artist_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("dividend_contracts_master_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("dividend_contracts_pkey")),
    )
    ddl.create_index("dividend_contracts_artist_id_idx", "dividend_contracts", ["artist_id"])
    ddl.create_index(
        "dividend_contracts_chain_address_idx",
        "dividend_contracts",
        ["chain_id", "contract_address"],
        unique=True,
    )
    ddl.create_index("dividend_contracts_master_id_idx", "dividend_contracts", ["master_id"])
    ddl.create_table(
        "liquidity_pools",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("artist_token_id", sa.Uuid(), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("pool_address", sa.String(length=255), nullable=False),
        sa.Column(
            "pool_type",
            postgresql.ENUM(name="pool_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("token0_address", sa.String(length=255), nullable=False),
        sa.Column("token1_address", sa.String(length=255), nullable=False),
        sa.Column("token0_symbol", sa.String(length=20), nullable=True),
        sa.Column("token1_symbol", sa.String(length=20), nullable=True),
        sa.Column("reserve0", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("reserve1", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("fee", sa.Numeric(precision=10, scale=6), nullable=True),
        sa.Column("total_value_locked_usd", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("volume_24h_usd", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("created_at_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("created_at_tx_hash", sa.String(length=255), nullable=True),
        sa.Column("last_indexed_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("last_indexed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "reserve0 >= 0 AND reserve1 >= 0 AND total_value_locked_usd >= 0 AND volume_24h_usd >= 0",
            name=op.f("liquidity_pools_reserves_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["artist_token_id"],
            ["oltp.artist_tokens.id"],
            name=op.f("liquidity_pools_artist_token_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("liquidity_pools_pkey")),
    )
    ddl.create_index("liquidity_pools_artist_token_idx", "liquidity_pools", ["artist_token_id"])
    ddl.create_index(
        "liquidity_pools_chain_pool_idx",
        "liquidity_pools",
        ["chain_id", "pool_address"],
        unique=True,
    )
    ddl.create_index("liquidity_pools_pool_type_idx", "liquidity_pools", ["pool_type"])
    ddl.create_index("liquidity_pools_tvl_idx", "liquidity_pools", ["total_value_locked_usd"])
    ddl.create_table(
        "master_collaborators",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("producer_id", sa.Uuid(), nullable=True),
        sa.Column("collaborator_name", sa.String(length=150), nullable=True),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("split_basis_points", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("display_order", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "split_basis_points BETWEEN 0 AND 10000",
            name=op.f("master_collaborators_split_bps_range"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"],
            ["oltp.masters.id"],
            name=op.f("master_collaborators_master_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"],
            ["oltp.producers.id"],
            name=op.f("master_collaborators_producer_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("master_collaborators_pkey")),
    )
    ddl.create_index("master_collaborators_master_id_idx", "master_collaborators", ["master_id"])
    ddl.create_index(
        "master_collaborators_producer_id_idx", "master_collaborators", ["producer_id"]
    )
    ddl.create_table(
        "master_contracts",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("contract_address", sa.String(length=255), nullable=False),
        sa.Column("deployment_tx_hash", sa.String(length=255), nullable=True),
        sa.Column("deployed_at_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contract_total_supply", sa.Integer(), nullable=True),
        sa.Column("contract_royalty_bps", sa.Integer(), nullable=True),
        sa.Column("first_minter_wallet", sa.String(length=255), nullable=True),
        sa.Column("second_minter_wallet", sa.String(length=255), nullable=True),
        sa.Column("third_minter_wallet", sa.String(length=255), nullable=True),
        sa.Column("abi_version", sa.String(length=20), server_default="1.0", nullable=True),
        sa.Column("last_indexed_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("last_indexed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "contract_total_supply BETWEEN 1 AND 1000000 AND contract_royalty_bps BETWEEN 0 AND 10000",
            name=op.f("master_contracts_supply_and_royalty_range"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("master_contracts_master_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("master_contracts_pkey")),
    )
    ddl.create_index(
        "master_contracts_chain_address_idx",
        "master_contracts",
        ["chain_id", "contract_address"],
        unique=True,
    )
    ddl.create_index(
        "master_contracts_master_chain_idx",
        "master_contracts",
        ["master_id", "chain_id"],
        unique=True,
    )
    ddl.create_index("master_contracts_master_id_idx", "master_contracts", ["master_id"])
    ddl.create_table(
        "master_ipos",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("total_supply", sa.Integer(), nullable=False),
        sa.Column("minted_supply", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("mint_price_wei", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("mint_price_currency", sa.String(length=20), nullable=True),
        sa.Column(
            "revenue_share_nft_holders_bps",
            sa.Integer(),
            server_default=sa.text("5000"),
            nullable=False,
        ),
        sa.Column(
            "retained_artist_bps", sa.Integer(), server_default=sa.text("4000"), nullable=False
        ),
        sa.Column(
            "retained_platform_bps", sa.Integer(), server_default=sa.text("1000"), nullable=False
        ),
        sa.Column(
            "status",
            postgresql.ENUM(name="ipo_status", schema="oltp", create_type=False),
            server_default="draft",
            nullable=False,
        ),
        sa.Column("scheduled_start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scheduled_end_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_end_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "mover_advantage_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False
        ),
        sa.Column(
            "first_minter_bonus_bps", sa.Integer(), server_default=sa.text("300"), nullable=True
        ),
        sa.Column(
            "second_minter_bonus_bps", sa.Integer(), server_default=sa.text("200"), nullable=True
        ),
        sa.Column(
            "third_minter_bonus_bps", sa.Integer(), server_default=sa.text("100"), nullable=True
        ),
        sa.Column(
            "secondary_royalty_bps", sa.Integer(), server_default=sa.text("1000"), nullable=False
        ),
        sa.Column(
            "allow_secondary_resale", sa.Boolean(), server_default=sa.text("true"), nullable=False
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actual_end_at >= actual_start_at", name=op.f("master_ipos_actual_window")
        ),
        sa.CheckConstraint(
            "minted_supply >= 0 AND minted_supply <= total_supply",
            name=op.f("master_ipos_minted_supply_range"),
        ),
        sa.CheckConstraint(
            "revenue_share_nft_holders_bps + retained_artist_bps + retained_platform_bps = 10000",
            name=op.f("master_ipos_revenue_split_total"),
        ),
        sa.CheckConstraint(
            "revenue_share_nft_holders_bps BETWEEN 0 AND 10000 AND retained_artist_bps BETWEEN 0 AND 10000 AND retained_platform_bps BETWEEN 0 AND 10000 AND secondary_royalty_bps BETWEEN 0 AND 10000 AND first_minter_bonus_bps BETWEEN 0 AND 10000 AND second_minter_bonus_bps BETWEEN 0 AND 10000 AND third_minter_bonus_bps BETWEEN 0 AND 10000",
            name=op.f("master_ipos_bps_range"),
        ),
        sa.CheckConstraint(
            "scheduled_end_at >= scheduled_start_at", name=op.f("master_ipos_scheduled_window")
        ),
        sa.CheckConstraint(
            "total_supply BETWEEN 1 AND 1000000", name=op.f("master_ipos_valid_total_supply")
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("master_ipos_master_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("master_ipos_pkey")),
    )
    ddl.create_index("master_ipos_master_id_idx", "master_ipos", ["master_id"], unique=True)
    ddl.create_index("master_ipos_start_at_idx", "master_ipos", ["scheduled_start_at"])
    ddl.create_index("master_ipos_status_idx", "master_ipos", ["status"])
    ddl.create_table(
        "nft_ownership_snapshots",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("token_id", sa.Numeric(precision=78, scale=0), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("contract_address", sa.String(length=255), nullable=False),
        sa.Column("owner_wallet", sa.String(length=255), nullable=False),
        sa.Column("snapshot_timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot_block_number", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("snapshot_reason", sa.String(length=50), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("nft_ownership_snapshots_master_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("nft_ownership_snapshots_pkey")),
    )
    ddl.create_index(
        "nft_snapshots_master_token_time_idx",
        "nft_ownership_snapshots",
        ["master_id", "token_id", "snapshot_timestamp"],
    )
    ddl.create_index("nft_snapshots_owner_wallet_idx", "nft_ownership_snapshots", ["owner_wallet"])
    ddl.create_index("nft_snapshots_reason_idx", "nft_ownership_snapshots", ["snapshot_reason"])
    ddl.create_index(
        "nft_snapshots_timestamp_idx", "nft_ownership_snapshots", ["snapshot_timestamp"]
    )
    ddl.create_table(
        "play_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("anonymous_id", sa.String(length=100), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ms_played", sa.Integer(), nullable=False),
        sa.Column("track_duration_ms", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            postgresql.ENUM(name="play_source", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("country_code", sa.CHAR(length=2), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "ms_played >= 0 AND track_duration_ms > 0 AND ms_played <= 2 * track_duration_ms",
            name=op.f("play_events_ms_played_range"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("play_events_master_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("play_events_user_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("play_events_pkey")),
    )
    ddl.create_index("play_events_created_at_idx", "play_events", ["created_at"])
    ddl.create_index("play_events_master_started_idx", "play_events", ["master_id", "started_at"])
    ddl.create_index("play_events_started_at_idx", "play_events", ["started_at"])
    ddl.create_index("play_events_user_started_idx", "play_events", ["user_id", "started_at"])
    ddl.create_table(
        "token_holders",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("artist_token_id", sa.Uuid(), nullable=False),
        sa.Column("wallet_address", sa.String(length=255), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column(
            "balance",
            sa.Numeric(precision=78, scale=0),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("first_acquired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_acquired_tx_hash", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("balance >= 0", name=op.f("token_holders_balance_non_negative")),
        sa.ForeignKeyConstraint(
            ["artist_token_id"],
            ["oltp.artist_tokens.id"],
            name=op.f("token_holders_artist_token_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("token_holders_pkey")),
    )
    ddl.create_index("token_holders_balance_idx", "token_holders", ["balance"])
    ddl.create_index(
        "token_holders_token_wallet_idx",
        "token_holders",
        ["artist_token_id", "wallet_address"],
        unique=True,
    )
    ddl.create_index("token_holders_wallet_idx", "token_holders", ["wallet_address"])
    ddl.create_table(
        "vstudio_sessions",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("slug", sa.String(length=150), nullable=True),
        sa.Column("session_type", sa.String(length=50), nullable=True),
        sa.Column(
            "status",
            postgresql.ENUM(name="vstudio_session_status", schema="oltp", create_type=False),
            server_default="draft",
            nullable=False,
        ),
        sa.Column("scheduled_start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scheduled_end_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_end_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_public", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("allow_anonymous", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("max_participants", sa.Integer(), nullable=True),
        sa.Column("cover_image_url", sa.Text(), nullable=True),
        sa.Column("background_color", sa.String(length=20), nullable=True),
        sa.Column("participant_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("total_votes", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "peak_concurrent_viewers", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actual_end_at >= actual_start_at", name=op.f("vstudio_sessions_actual_window")
        ),
        sa.CheckConstraint(
            "participant_count >= 0 AND total_votes >= 0 AND peak_concurrent_viewers >= 0",
            name=op.f("vstudio_sessions_counters_non_negative"),
        ),
        sa.CheckConstraint(
            "scheduled_end_at >= scheduled_start_at", name=op.f("vstudio_sessions_scheduled_window")
        ),
        sa.ForeignKeyConstraint(
            ["artist_id"], ["oltp.artists.id"], name=op.f("vstudio_sessions_artist_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("vstudio_sessions_master_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("vstudio_sessions_pkey")),
    )
    ddl.create_index("vstudio_sessions_artist_id_idx", "vstudio_sessions", ["artist_id"])
    ddl.create_index("vstudio_sessions_master_id_idx", "vstudio_sessions", ["master_id"])
    ddl.create_index("vstudio_sessions_slug_idx", "vstudio_sessions", ["slug"], unique=True)
    ddl.create_index("vstudio_sessions_start_at_idx", "vstudio_sessions", ["scheduled_start_at"])
    ddl.create_index("vstudio_sessions_status_idx", "vstudio_sessions", ["status"])
    ddl.create_table(
        "master_nfts",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("master_contract_id", sa.Uuid(), nullable=False),
        sa.Column("token_id", sa.Numeric(precision=78, scale=0), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("contract_address", sa.String(length=255), nullable=False),
        sa.Column("current_owner_wallet", sa.String(length=255), nullable=False),
        sa.Column("is_first_minter", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "is_second_minter", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("is_third_minter", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("original_minter_wallet", sa.String(length=255), nullable=False),
        sa.Column("mint_tx_hash", sa.String(length=255), nullable=True),
        sa.Column("minted_at_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("minted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mint_price_wei", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column(
            "listing_status",
            postgresql.ENUM(name="nft_listing_status", schema="oltp", create_type=False),
            server_default="not_listed",
            nullable=False,
        ),
        sa.Column("listing_price_wei", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("listing_currency", sa.String(length=20), nullable=True),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token_uri", sa.Text(), nullable=True),
        sa.Column(
            "total_dividends_received",
            sa.Numeric(precision=78, scale=0),
            server_default=sa.text("0"),
            nullable=True,
        ),
        sa.Column("last_dividend_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_indexed_block", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("last_indexed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "token_id >= 0 AND mint_price_wei >= 0 AND listing_price_wei >= 0 AND total_dividends_received >= 0",
            name=op.f("master_nfts_amounts_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["master_contract_id"],
            ["oltp.master_contracts.id"],
            name=op.f("master_nfts_master_contract_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("master_nfts_master_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("master_nfts_pkey")),
    )
    ddl.create_index(
        "master_nfts_chain_contract_token_idx",
        "master_nfts",
        ["chain_id", "contract_address", "token_id"],
        unique=True,
    )
    ddl.create_index("master_nfts_contract_id_idx", "master_nfts", ["master_contract_id"])
    ddl.create_index("master_nfts_listing_status_idx", "master_nfts", ["listing_status"])
    ddl.create_index("master_nfts_master_id_idx", "master_nfts", ["master_id"])
    ddl.create_index("master_nfts_minted_at_idx", "master_nfts", ["minted_at"])
    ddl.create_index("master_nfts_original_minter_idx", "master_nfts", ["original_minter_wallet"])
    ddl.create_index("master_nfts_owner_wallet_idx", "master_nfts", ["current_owner_wallet"])
    ddl.create_table(
        "pool_events",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("liquidity_pool_id", sa.Uuid(), nullable=False),
        sa.Column("artist_token_id", sa.Uuid(), nullable=False),
        sa.Column(
            "event_type",
            postgresql.ENUM(name="pool_event_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("pool_address", sa.String(length=255), nullable=False),
        sa.Column("tx_hash", sa.String(length=255), nullable=False),
        sa.Column("block_number", sa.Numeric(precision=20, scale=0), nullable=False),
        sa.Column("block_timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amount0", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("amount1", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("amount_usd", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("sender", sa.String(length=255), nullable=True),
        sa.Column("recipient", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "amount0 >= 0 AND amount1 >= 0 AND amount_usd >= 0",
            name=op.f("pool_events_amounts_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["artist_token_id"],
            ["oltp.artist_tokens.id"],
            name=op.f("pool_events_artist_token_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["liquidity_pool_id"],
            ["oltp.liquidity_pools.id"],
            name=op.f("pool_events_liquidity_pool_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pool_events_pkey")),
    )
    ddl.create_index("pool_events_artist_token_idx", "pool_events", ["artist_token_id"])
    ddl.create_index("pool_events_block_timestamp_idx", "pool_events", ["block_timestamp"])
    ddl.create_index("pool_events_event_type_idx", "pool_events", ["event_type"])
    ddl.create_index("pool_events_pool_id_idx", "pool_events", ["liquidity_pool_id"])
    ddl.create_index("pool_events_tx_idx", "pool_events", ["tx_hash"], unique=True)
    ddl.create_table(
        "pool_positions",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("liquidity_pool_id", sa.Uuid(), nullable=False),
        sa.Column("wallet_address", sa.String(length=255), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("lp_token_balance", sa.Numeric(precision=78, scale=0), nullable=False),
        sa.Column("token0_amount", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("token1_amount", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("position_value_usd", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entry_tx_hash", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "lp_token_balance >= 0 AND token0_amount >= 0 AND token1_amount >= 0",
            name=op.f("pool_positions_amounts_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["liquidity_pool_id"],
            ["oltp.liquidity_pools.id"],
            name=op.f("pool_positions_liquidity_pool_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pool_positions_pkey")),
    )
    ddl.create_index(
        "pool_positions_pool_wallet_idx",
        "pool_positions",
        ["liquidity_pool_id", "wallet_address"],
        unique=True,
    )
    ddl.create_index("pool_positions_value_idx", "pool_positions", ["position_value_usd"])
    ddl.create_index("pool_positions_wallet_idx", "pool_positions", ["wallet_address"])
    ddl.create_table(
        "revenue_events",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column(
            "source_type",
            postgresql.ENUM(name="revenue_source_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("source_name", sa.String(length=200), nullable=True),
        sa.Column("external_reference", sa.String(length=255), nullable=True),
        sa.Column("amount", sa.Numeric(precision=28, scale=8), nullable=False),
        sa.Column("currency", sa.String(length=10), nullable=False),
        sa.Column("amount_usd", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            postgresql.ENUM(name="revenue_event_status", schema="oltp", create_type=False),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by", sa.Uuid(), nullable=True),
        sa.Column("deposited_to_contract_id", sa.Uuid(), nullable=True),
        sa.Column("deposit_tx_hash", sa.String(length=255), nullable=True),
        sa.Column("deposited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document_url", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "amount >= 0 AND amount_usd >= 0", name=op.f("revenue_events_amounts_non_negative")
        ),
        sa.CheckConstraint("period_end >= period_start", name=op.f("revenue_events_period_window")),
        sa.ForeignKeyConstraint(
            ["deposited_to_contract_id"],
            ["oltp.dividend_contracts.id"],
            name=op.f("revenue_events_deposited_to_contract_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("revenue_events_master_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("revenue_events_pkey")),
    )
    ddl.create_index("revenue_events_created_at_idx", "revenue_events", ["created_at"])
    ddl.create_index("revenue_events_master_id_idx", "revenue_events", ["master_id"])
    ddl.create_index("revenue_events_period_start_idx", "revenue_events", ["period_start"])
    ddl.create_index("revenue_events_source_type_idx", "revenue_events", ["source_type"])
    ddl.create_index("revenue_events_status_idx", "revenue_events", ["status"])
    ddl.create_table(
        "vstudio_chat_messages",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("vstudio_session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("is_moderated", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderated_by", sa.Uuid(), nullable=True),
        sa.Column("moderation_reason", sa.String(length=200), nullable=True),
        sa.Column("is_highlighted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_pinned", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by"],
            ["oltp.users.id"],
            name=op.f("vstudio_chat_messages_moderated_by_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("vstudio_chat_messages_user_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["vstudio_session_id"],
            ["oltp.vstudio_sessions.id"],
            name=op.f("vstudio_chat_messages_vstudio_session_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("vstudio_chat_messages_pkey")),
    )
    ddl.create_index("vstudio_chat_created_at_idx", "vstudio_chat_messages", ["created_at"])
    ddl.create_index("vstudio_chat_session_id_idx", "vstudio_chat_messages", ["vstudio_session_id"])
    ddl.create_index("vstudio_chat_user_id_idx", "vstudio_chat_messages", ["user_id"])
    ddl.create_table(
        "vstudio_decision_points",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("vstudio_session_id", sa.Uuid(), nullable=False),
        sa.Column(
            "type",
            postgresql.ENUM(name="decision_point_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("slider_min", sa.Integer(), nullable=True),
        sa.Column("slider_max", sa.Integer(), nullable=True),
        sa.Column("slider_step", sa.Integer(), nullable=True),
        sa.Column("slider_labels", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "eligibility_rule",
            postgresql.ENUM(name="eligibility_rule", schema="oltp", create_type=False),
            server_default="open",
            nullable=False,
        ),
        sa.Column("eligibility_config", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "superfan_weight_multiplier",
            sa.Numeric(precision=5, scale=2),
            server_default=sa.text("1.0"),
            nullable=True,
        ),
        sa.Column(
            "nft_holder_weight",
            sa.Numeric(precision=5, scale=2),
            server_default=sa.text("1.0"),
            nullable=True,
        ),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("display_order", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("results_json", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("results_computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "end_time >= start_time", name=op.f("vstudio_decision_points_time_window")
        ),
        sa.ForeignKeyConstraint(
            ["vstudio_session_id"],
            ["oltp.vstudio_sessions.id"],
            name=op.f("vstudio_decision_points_vstudio_session_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("vstudio_decision_points_pkey")),
    )
    ddl.create_index("vstudio_decision_points_active_idx", "vstudio_decision_points", ["is_active"])
    ddl.create_index(
        "vstudio_decision_points_order_idx", "vstudio_decision_points", ["display_order"]
    )
    ddl.create_index(
        "vstudio_decision_points_session_id_idx", "vstudio_decision_points", ["vstudio_session_id"]
    )
    ddl.create_index("vstudio_decision_points_type_idx", "vstudio_decision_points", ["type"])
    ddl.create_table(
        "vstudio_participants",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("vstudio_session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("wallet_address", sa.String(length=255), nullable=True),
        sa.Column(
            "joined_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("votes_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("messages_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("reactions_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("total_time_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "votes_count >= 0 AND messages_count >= 0 AND reactions_count >= 0 AND total_time_seconds >= 0",
            name=op.f("vstudio_participants_counters_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("vstudio_participants_user_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["vstudio_session_id"],
            ["oltp.vstudio_sessions.id"],
            name=op.f("vstudio_participants_vstudio_session_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("vstudio_participants_pkey")),
    )
    ddl.create_index(
        "vstudio_participants_session_id_idx", "vstudio_participants", ["vstudio_session_id"]
    )
    ddl.create_index(
        "vstudio_participants_session_user_idx",
        "vstudio_participants",
        ["vstudio_session_id", "user_id"],
        unique=True,
    )
    ddl.create_index(
        "vstudio_participants_session_wallet_idx",
        "vstudio_participants",
        ["vstudio_session_id", "wallet_address"],
        unique=True,
    )
    ddl.create_index("vstudio_participants_user_id_idx", "vstudio_participants", ["user_id"])
    ddl.create_table(
        "wallet_dividend_balances",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("wallet_address", sa.String(length=255), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("dividend_contract_id", sa.Uuid(), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column(
            "total_earned",
            sa.Numeric(precision=78, scale=0),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column(
            "total_claimed",
            sa.Numeric(precision=78, scale=0),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column(
            "claimable_amount",
            sa.Numeric(precision=78, scale=0),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=20), nullable=False),
        sa.Column("last_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_claim_tx_hash", sa.String(length=255), nullable=True),
        sa.Column("tokens_held", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "total_earned >= 0 AND total_claimed >= 0 AND claimable_amount >= 0 AND tokens_held >= 0",
            name=op.f("wallet_dividend_balances_amounts_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["dividend_contract_id"],
            ["oltp.dividend_contracts.id"],
            name=op.f("wallet_dividend_balances_dividend_contract_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("wallet_dividend_balances_master_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("wallet_dividend_balances_pkey")),
    )
    ddl.create_index(
        "wallet_dividends_claimable_idx", "wallet_dividend_balances", ["claimable_amount"]
    )
    ddl.create_index("wallet_dividends_master_id_idx", "wallet_dividend_balances", ["master_id"])
    ddl.create_index("wallet_dividends_wallet_idx", "wallet_dividend_balances", ["wallet_address"])
    ddl.create_index(
        "wallet_dividends_wallet_master_chain_idx",
        "wallet_dividend_balances",
        ["wallet_address", "master_id", "chain_id"],
        unique=True,
    )
    ddl.create_table(
        "dividend_claims",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("wallet_address", sa.String(length=255), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("dividend_contract_id", sa.Uuid(), nullable=False),
        sa.Column("master_nft_id", sa.Uuid(), nullable=True),
        sa.Column("token_id", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("amount_claimed", sa.Numeric(precision=78, scale=0), nullable=False),
        sa.Column("currency", sa.String(length=20), nullable=False),
        sa.Column("tx_hash", sa.String(length=255), nullable=False),
        sa.Column("block_number", sa.Numeric(precision=20, scale=0), nullable=False),
        sa.Column("block_timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("gas_used", sa.Numeric(precision=20, scale=0), nullable=True),
        sa.Column("gas_price_wei", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "amount_claimed >= 0 AND gas_used >= 0 AND gas_price_wei >= 0",
            name=op.f("dividend_claims_amounts_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["dividend_contract_id"],
            ["oltp.dividend_contracts.id"],
            name=op.f("dividend_claims_dividend_contract_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("dividend_claims_master_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["master_nft_id"],
            ["oltp.master_nfts.id"],
            name=op.f("dividend_claims_master_nft_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("dividend_claims_pkey")),
    )
    ddl.create_index("dividend_claims_block_timestamp_idx", "dividend_claims", ["block_timestamp"])
    ddl.create_index("dividend_claims_master_id_idx", "dividend_claims", ["master_id"])
    ddl.create_index("dividend_claims_tx_hash_idx", "dividend_claims", ["tx_hash"], unique=True)
    ddl.create_index("dividend_claims_wallet_idx", "dividend_claims", ["wallet_address"])
    ddl.create_table(
        "dividend_events",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=True),
        sa.Column("dividend_contract_id", sa.Uuid(), nullable=False),
        sa.Column(
            "event_type",
            postgresql.ENUM(name="dividend_event_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("contract_address", sa.String(length=255), nullable=False),
        sa.Column("tx_hash", sa.String(length=255), nullable=False),
        sa.Column("block_number", sa.Numeric(precision=20, scale=0), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_amount", sa.Numeric(precision=78, scale=0), nullable=False),
        sa.Column("currency", sa.String(length=20), nullable=False),
        sa.Column("claimant_wallet", sa.String(length=255), nullable=True),
        sa.Column("claimant_token_id", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("total_holders_at_distribution", sa.Integer(), nullable=True),
        sa.Column("per_token_amount", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("revenue_event_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "total_amount >= 0 AND per_token_amount >= 0 AND total_holders_at_distribution >= 0 AND log_index >= 0",
            name=op.f("dividend_events_amounts_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["dividend_contract_id"],
            ["oltp.dividend_contracts.id"],
            name=op.f("dividend_events_dividend_contract_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("dividend_events_master_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["revenue_event_id"],
            ["oltp.revenue_events.id"],
            name=op.f("dividend_events_revenue_event_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("dividend_events_pkey")),
    )
    ddl.create_index("dividend_events_block_number_idx", "dividend_events", ["block_number"])
    ddl.create_index("dividend_events_block_timestamp_idx", "dividend_events", ["block_timestamp"])
    ddl.create_index("dividend_events_claimant_wallet_idx", "dividend_events", ["claimant_wallet"])
    ddl.create_index("dividend_events_contract_id_idx", "dividend_events", ["dividend_contract_id"])
    ddl.create_index("dividend_events_event_type_idx", "dividend_events", ["event_type"])
    ddl.create_index("dividend_events_master_id_idx", "dividend_events", ["master_id"])
    ddl.create_index(
        "dividend_events_tx_log_idx", "dividend_events", ["tx_hash", "log_index"], unique=True
    )
    ddl.create_table(
        "dsp_stream_reports",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column(
            "platform",
            postgresql.ENUM(name="stream_platform", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("country_code", sa.CHAR(length=2), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("stream_count", sa.BigInteger(), nullable=False),
        sa.Column("listener_count", sa.BigInteger(), nullable=False),
        sa.Column("royalty_amount", sa.Numeric(precision=28, scale=8), nullable=False),
        sa.Column("currency", sa.String(length=10), nullable=False),
        sa.Column("royalty_amount_usd", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("statement_id", sa.String(length=255), nullable=False),
        sa.Column("revenue_event_id", sa.Uuid(), nullable=True),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("platform <> 'audifi'", name=op.f("dsp_stream_reports_not_audifi")),
        sa.CheckConstraint(
            "stream_count >= 0 AND listener_count >= 0 AND listener_count <= stream_count AND royalty_amount >= 0 AND royalty_amount_usd >= 0",
            name=op.f("dsp_stream_reports_counts_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("dsp_stream_reports_master_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["revenue_event_id"],
            ["oltp.revenue_events.id"],
            name=op.f("dsp_stream_reports_revenue_event_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("dsp_stream_reports_pkey")),
    )
    ddl.create_index(
        "dsp_stream_reports_master_date_idx", "dsp_stream_reports", ["master_id", "report_date"]
    )
    ddl.create_index(
        "dsp_stream_reports_revenue_event_idx", "dsp_stream_reports", ["revenue_event_id"]
    )
    ddl.create_index(
        "dsp_stream_reports_statement_line_idx",
        "dsp_stream_reports",
        ["statement_id", "master_id", "platform", "country_code", "report_date"],
        unique=True,
    )
    ddl.create_table(
        "nft_transfers",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("master_nft_id", sa.Uuid(), nullable=False),
        sa.Column("master_id", sa.Uuid(), nullable=False),
        sa.Column("token_id", sa.Numeric(precision=78, scale=0), nullable=False),
        sa.Column("chain_id", sa.String(length=50), nullable=False),
        sa.Column("contract_address", sa.String(length=255), nullable=False),
        sa.Column("from_wallet", sa.String(length=255), nullable=False),
        sa.Column("to_wallet", sa.String(length=255), nullable=False),
        sa.Column("tx_hash", sa.String(length=255), nullable=False),
        sa.Column("block_number", sa.Numeric(precision=20, scale=0), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "transfer_type",
            postgresql.ENUM(name="transfer_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("sale_price_wei", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("sale_currency", sa.String(length=20), nullable=True),
        sa.Column("marketplace", sa.String(length=100), nullable=True),
        sa.Column("royalty_paid_wei", sa.Numeric(precision=78, scale=0), nullable=True),
        sa.Column("royalty_recipient", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "token_id >= 0 AND sale_price_wei >= 0 AND royalty_paid_wei >= 0 AND log_index >= 0",
            name=op.f("nft_transfers_amounts_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["master_id"], ["oltp.masters.id"], name=op.f("nft_transfers_master_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["master_nft_id"],
            ["oltp.master_nfts.id"],
            name=op.f("nft_transfers_master_nft_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("nft_transfers_pkey")),
    )
    ddl.create_index("nft_transfers_block_number_idx", "nft_transfers", ["block_number"])
    ddl.create_index("nft_transfers_block_timestamp_idx", "nft_transfers", ["block_timestamp"])
    ddl.create_index("nft_transfers_from_wallet_idx", "nft_transfers", ["from_wallet"])
    ddl.create_index("nft_transfers_marketplace_idx", "nft_transfers", ["marketplace"])
    ddl.create_index("nft_transfers_master_id_idx", "nft_transfers", ["master_id"])
    ddl.create_index("nft_transfers_master_nft_id_idx", "nft_transfers", ["master_nft_id"])
    ddl.create_index("nft_transfers_to_wallet_idx", "nft_transfers", ["to_wallet"])
    ddl.create_index("nft_transfers_transfer_type_idx", "nft_transfers", ["transfer_type"])
    ddl.create_index(
        "nft_transfers_tx_log_idx", "nft_transfers", ["tx_hash", "log_index"], unique=True
    )
    ddl.create_table(
        "vstudio_engagement_events",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("vstudio_session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("wallet_address", sa.String(length=255), nullable=True),
        sa.Column(
            "event_type",
            postgresql.ENUM(name="engagement_event_type", schema="oltp", create_type=False),
            nullable=False,
        ),
        sa.Column("event_data", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("decision_point_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["decision_point_id"],
            ["oltp.vstudio_decision_points.id"],
            name=op.f("vstudio_engagement_events_decision_point_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("vstudio_engagement_events_user_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["vstudio_session_id"],
            ["oltp.vstudio_sessions.id"],
            name=op.f("vstudio_engagement_events_vstudio_session_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("vstudio_engagement_events_pkey")),
    )
    ddl.create_index("vstudio_events_created_at_idx", "vstudio_engagement_events", ["created_at"])
    ddl.create_index("vstudio_events_event_type_idx", "vstudio_engagement_events", ["event_type"])
    ddl.create_index(
        "vstudio_events_session_id_idx", "vstudio_engagement_events", ["vstudio_session_id"]
    )
    ddl.create_table(
        "vstudio_votes",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("decision_point_id", sa.Uuid(), nullable=False),
        sa.Column("vstudio_session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("wallet_address", sa.String(length=255), nullable=True),
        sa.Column("anonymous_id", sa.String(length=100), nullable=True),
        sa.Column("option_selected", sa.String(length=100), nullable=True),
        sa.Column("slider_value", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("text_response", sa.Text(), nullable=True),
        sa.Column("ranking_order", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "weight",
            sa.Numeric(precision=10, scale=4),
            server_default=sa.text("1.0"),
            nullable=False,
        ),
        sa.Column(
            "verified_nft_holder", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column(
            "verified_coin_holder", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column(
            "verified_subscriber", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("client_ip_hash", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["decision_point_id"],
            ["oltp.vstudio_decision_points.id"],
            name=op.f("vstudio_votes_decision_point_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["oltp.users.id"], name=op.f("vstudio_votes_user_id_fkey")
        ),
        sa.ForeignKeyConstraint(
            ["vstudio_session_id"],
            ["oltp.vstudio_sessions.id"],
            name=op.f("vstudio_votes_vstudio_session_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("vstudio_votes_pkey")),
    )
    ddl.create_index("vstudio_votes_created_at_idx", "vstudio_votes", ["created_at"])
    ddl.create_index("vstudio_votes_decision_point_idx", "vstudio_votes", ["decision_point_id"])
    ddl.create_index("vstudio_votes_session_id_idx", "vstudio_votes", ["vstudio_session_id"])
    ddl.create_index(
        "vstudio_votes_user_decision_idx",
        "vstudio_votes",
        ["user_id", "decision_point_id"],
        unique=True,
    )
    ddl.create_index("vstudio_votes_user_id_idx", "vstudio_votes", ["user_id"])
    ddl.create_index(
        "vstudio_votes_wallet_decision_idx",
        "vstudio_votes",
        ["wallet_address", "decision_point_id"],
        unique=True,
    )
    ddl.create_index("vstudio_votes_wallet_idx", "vstudio_votes", ["wallet_address"])


def downgrade() -> None:
    # Tables in reverse dependency order; their indexes go with them.
    ddl.drop_table("vstudio_votes")
    ddl.drop_table("vstudio_engagement_events")
    ddl.drop_table("nft_transfers")
    ddl.drop_table("dsp_stream_reports")
    ddl.drop_table("dividend_events")
    ddl.drop_table("dividend_claims")
    ddl.drop_table("wallet_dividend_balances")
    ddl.drop_table("vstudio_participants")
    ddl.drop_table("vstudio_decision_points")
    ddl.drop_table("vstudio_chat_messages")
    ddl.drop_table("revenue_events")
    ddl.drop_table("pool_positions")
    ddl.drop_table("pool_events")
    ddl.drop_table("master_nfts")
    ddl.drop_table("vstudio_sessions")
    ddl.drop_table("token_holders")
    ddl.drop_table("play_events")
    ddl.drop_table("nft_ownership_snapshots")
    ddl.drop_table("master_ipos")
    ddl.drop_table("master_contracts")
    ddl.drop_table("master_collaborators")
    ddl.drop_table("liquidity_pools")
    ddl.drop_table("dividend_contracts")
    ddl.drop_table("masters")
    ddl.drop_table("invoices")
    ddl.drop_table("artist_tokens")
    ddl.drop_table("artist_follows")
    ddl.drop_table("webhooks_log")
    ddl.drop_table("user_wallets")
    ddl.drop_table("user_roles")
    ddl.drop_table("subscriptions")
    ddl.drop_table("security_events")
    ddl.drop_table("producers")
    ddl.drop_table("payment_methods")
    ddl.drop_table("audit_logs")
    ddl.drop_table("artists")
    ddl.drop_table("accounts")
    ddl.drop_table("users")
    ddl.drop_table("system_events")
    ddl.drop_table("subscription_plans")
    ddl.drop_table("roles")
    ddl.drop_table("rate_limits")
    ddl.drop_table("payment_providers")
    ddl.drop_table("identity_providers")
    ddl.drop_enum("play_source")
    ddl.drop_enum("stream_platform")
    ddl.drop_enum("security_event_type")
    ddl.drop_enum("security_severity")
    ddl.drop_enum("audit_action_category")
    ddl.drop_enum("webhook_status")
    ddl.drop_enum("payment_provider_type")
    ddl.drop_enum("invoice_status")
    ddl.drop_enum("subscription_status")
    ddl.drop_enum("plan_interval")
    ddl.drop_enum("engagement_event_type")
    ddl.drop_enum("eligibility_rule")
    ddl.drop_enum("decision_point_type")
    ddl.drop_enum("vstudio_session_status")
    ddl.drop_enum("pool_event_type")
    ddl.drop_enum("pool_type")
    ddl.drop_enum("token_type")
    ddl.drop_enum("dividend_event_type")
    ddl.drop_enum("revenue_event_status")
    ddl.drop_enum("revenue_source_type")
    ddl.drop_enum("transfer_type")
    ddl.drop_enum("nft_listing_status")
    ddl.drop_enum("dividend_distribution_model")
    ddl.drop_enum("ipo_status")
    ddl.drop_enum("master_status")
    ddl.drop_enum("master_type")
    ddl.drop_enum("account_status")
    ddl.drop_enum("auth_provider")
    ddl.drop_enum("user_role")
    ddl.drop_publication()
    op.execute("DROP SCHEMA oltp")
