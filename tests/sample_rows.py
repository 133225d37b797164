"""A small, complete graph of OLTP rows for replication tests.

``insert_graph`` writes one row into every table whose restricted columns the governance
rules name, with a marker value in each of those columns (text, JSON and an IP address), so
that a test can prove the marker never reaches the replica.
"""

from __future__ import annotations

import json
import uuid

import psycopg

MARKER_IP = "203.0.113.77"  # TEST-NET-3: never a real client


def insert_graph(conn: psycopg.Connection, marker: str) -> dict[str, uuid.UUID]:
    """Insert a user, an artist, a master, a session with a vote… all carrying ``marker``."""
    ids = {k: uuid.uuid4() for k in ("user", "artist", "master", "session", "point", "plan", "sub")}
    m = marker
    js = json.dumps({"note": m})
    x = conn.execute
    x(
        "INSERT INTO oltp.users (id, email, display_name, bio, avatar_url, two_factor_secret) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        (ids["user"], f"{m}@example.test", m, m, f"https://x/{m}.png", m),
    )
    x(
        "INSERT INTO oltp.accounts (user_id, provider, provider_account_id, access_token, "
        "refresh_token, provider_metadata) VALUES (%s, 'google', %s, %s, %s, %s)",
        (ids["user"], m, m, m, js),
    )
    x(
        "INSERT INTO oltp.user_wallets (user_id, wallet_address, chain_id, label) "
        "VALUES (%s, %s, '1', %s)",
        (ids["user"], f"0x{m}", m),
    )
    x(
        "INSERT INTO oltp.artists (id, user_id, artist_name, slug) VALUES (%s, %s, 'A', %s)",
        (ids["artist"], ids["user"], f"a-{ids['artist']}"),
    )
    x(
        "INSERT INTO oltp.masters (id, artist_id, title, status) VALUES (%s, %s, 'T', 'live')",
        (ids["master"], ids["artist"]),
    )
    x(
        "INSERT INTO oltp.vstudio_sessions (id, master_id, artist_id, title, allow_anonymous) "
        "VALUES (%s, %s, %s, 'S', true)",
        (ids["session"], ids["master"], ids["artist"]),
    )
    x(
        "INSERT INTO oltp.vstudio_decision_points (id, vstudio_session_id, type, label) "
        "VALUES (%s, %s, 'open_text', 'Q')",
        (ids["point"], ids["session"]),
    )
    x(
        "INSERT INTO oltp.vstudio_votes (decision_point_id, vstudio_session_id, user_id, "
        "wallet_address, text_response, client_ip_hash, user_agent) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (ids["point"], ids["session"], ids["user"], f"0x{m}", m, m, m),
    )
    x(
        "INSERT INTO oltp.vstudio_participants (vstudio_session_id, user_id, wallet_address) "
        "VALUES (%s, %s, %s)",
        (ids["session"], ids["user"], f"0x{m}"),
    )
    x(
        "INSERT INTO oltp.vstudio_engagement_events (vstudio_session_id, user_id, "
        "wallet_address, event_type) VALUES (%s, %s, %s, 'vote_cast')",
        (ids["session"], ids["user"], f"0x{m}"),
    )
    x(
        "INSERT INTO oltp.vstudio_chat_messages (vstudio_session_id, user_id, message) "
        "VALUES (%s, %s, %s)",
        (ids["session"], ids["user"], m),
    )
    x(
        "INSERT INTO oltp.subscription_plans (id, name, slug, price_usd, interval) "
        "VALUES (%s, 'Pro', %s, 9.99, 'monthly')",
        (ids["plan"], f"pro-{ids['plan']}"),
    )
    x(
        "INSERT INTO oltp.subscriptions (id, user_id, plan_id, current_period_start, "
        "current_period_end, stripe_subscription_id, stripe_customer_id, "
        "default_payment_method_id, metadata) VALUES (%s, %s, %s, now(), now(), %s, %s, %s, %s)",
        (ids["sub"], ids["user"], ids["plan"], m, m, m, js),
    )
    x(
        "INSERT INTO oltp.invoices (subscription_id, user_id, invoice_number, stripe_invoice_id, "
        "stripe_payment_intent_id, amount_due, hosted_invoice_url, invoice_pdf_url, line_items, "
        "metadata) VALUES (%s, %s, %s, %s, %s, 9.99, %s, %s, %s, %s)",
        (ids["sub"], ids["user"], m[:50], m, m, m, m, json.dumps([{"description": m}]), js),
    )
    x(
        "INSERT INTO oltp.audit_logs (user_id, actor_type, actor_identifier, action_category, "
        "action, target_identifier, previous_state, new_state, ip_address, user_agent, metadata) "
        "VALUES (%s, 'user', %s, 'admin', 'test', %s, %s, %s, %s, %s, %s)",
        (ids["user"], m, m, js, js, MARKER_IP, m, js),
    )
    # Tables that are not published at all.
    x(
        "INSERT INTO oltp.identity_providers (name, provider, client_secret, config_json) "
        "VALUES (%s, 'github', %s, %s) ON CONFLICT (provider) DO UPDATE "
        "SET name = EXCLUDED.name, client_secret = EXCLUDED.client_secret, "
        "config_json = EXCLUDED.config_json",
        (m, m, js),
    )
    x(
        "INSERT INTO oltp.payment_providers (name, provider_type, webhook_secret, config_json) "
        "VALUES (%s, 'paypal', %s, %s) ON CONFLICT (provider_type) DO UPDATE "
        "SET name = EXCLUDED.name, webhook_secret = EXCLUDED.webhook_secret, "
        "config_json = EXCLUDED.config_json",
        (m, m, js),
    )
    x(
        "INSERT INTO oltp.payment_methods (user_id, payment_method_type, display_name, last4) "
        "VALUES (%s, 'card', %s, '4242')",
        (ids["user"], m),
    )
    x(
        "INSERT INTO oltp.rate_limits (identifier, identifier_type, action, window_start, "
        "window_end, rate_limit) VALUES (%s, 'ip', 'login', now(), now(), 5)",
        (m,),
    )
    x(
        "INSERT INTO oltp.security_events (event_type, severity, user_id, wallet_address, title, "
        "ip_address, user_agent, investigation_notes) "
        "VALUES ('failed_login', 'low', %s, %s, 'x', %s, %s, %s)",
        (ids["user"], m, MARKER_IP, m, m),
    )
    x(
        "INSERT INTO oltp.webhooks_log (provider_name, event_type, ip_address, user_agent) "
        "VALUES ('stripe', 'invoice.paid', %s, %s)",
        (MARKER_IP, m),
    )
    return ids
