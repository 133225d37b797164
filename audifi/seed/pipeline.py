"""Full seed: generate every table in dependency order, then COPY all of it in one transaction."""

from __future__ import annotations

import numpy as np

from audifi.errors import AudifiError
from audifi.seed import fact_frames
from audifi.seed.context import Ctx
from audifi.seed.copy_loader import Loader
from audifi.seed.generate_artists import generate_artists
from audifi.seed.generate_billing import generate_billing
from audifi.seed.generate_coins import generate_coins
from audifi.seed.generate_identity import generate_identity
from audifi.seed.generate_nfts import generate_ipos
from audifi.seed.generate_observability import generate_observability
from audifi.seed.generate_plays import play_frames
from audifi.seed.generate_reference import generate_reference
from audifi.seed.generate_revenue import generate_revenue
from audifi.seed.generate_vstudio import generate_vstudio
from audifi.seed.ids import IdFactory
from audifi.seed.preflight import connect, require_migrated, tables_with_rows
from audifi.seed.scales import get_scale
from audifi.seed.timeline import AS_OF, DAY

# FK order: every table after the tables it references.
ROW_TABLES_BEFORE_NFTS = [
    "roles",
    "identity_providers",
    "subscription_plans",
    "payment_providers",
    "users",
    "accounts",
    "user_roles",
    "user_wallets",
    "artists",
    "producers",
    "artist_follows",
    "masters",
    "master_collaborators",
    "master_ipos",
    "master_contracts",
    "dividend_contracts",
]


def new_context(scale_name: str, seed: int) -> Ctx:
    scale = get_scale(scale_name)
    return Ctx(
        seed=seed,
        scale=scale,
        start=AS_OF - scale.days * DAY,
        end=AS_OF,
        ids=IdFactory(seed),
        rng=np.random.default_rng([seed, 1]),
    )


def _chain_hashes(ctx: Ctx) -> None:
    tr = ctx.dims["transfers"]
    tx = ctx.ids.tx_hashes("nft", len(tr["tok"]))
    ctx.dims["transfer_tx"] = tx
    mint_pos = np.flatnonzero(np.r_[True, tr["tok"][1:] != tr["tok"][:-1]])
    ctx.dims["mint_tx"] = [tx[p] for p in mint_pos.tolist()]
    addr = ctx.dims["wallets"]["address"]
    uw = ctx.dims["wallets"]["user_wallet"]
    a_user = ctx.dims["artists"]["user"]
    m_artist = ctx.dims["masters"]["artist"]
    ctx.dims["artist_royalty_wallet"] = [
        addr[uw[a_user[m_artist[c["_ipo"]["_master"]]]]] for c in ctx.rows["master_contracts"]
    ]


# small tables later stages still read (contracts carry their IPO for the NFT frames)
KEEP = {"masters", "master_ipos", "master_contracts"}


def _flush(ctx: Ctx, loader: Loader, tables: list[str]) -> None:
    """Write finished tables and drop their rows, so memory holds one stage at a time."""
    for t in tables:
        rows = ctx.rows[t] if t in KEEP else ctx.rows.pop(t)
        loader.copy_rows(t, rows, total=len(rows))


def generate_and_write(ctx: Ctx, loader: Loader) -> None:
    """Generate stage by stage in FK order; each stage is written as soon as its cached
    aggregates are final (e.g. artists wait for the NFT sales that set ``total_sales``)."""
    generate_reference(ctx)
    generate_identity(ctx)
    _flush(
        ctx,
        loader,
        [
            "roles",
            "identity_providers",
            "subscription_plans",
            "payment_providers",
            "users",
            "accounts",
            "user_roles",
            "user_wallets",
        ],
    )
    generate_artists(ctx)
    generate_ipos(ctx)
    _chain_hashes(ctx)
    generate_revenue(ctx)
    _flush(ctx, loader, ROW_TABLES_BEFORE_NFTS[8:])
    n_tok = len(ctx.dims["nfts"]["contract"])
    loader.copy_frames("master_nfts", fact_frames.nft_frames(ctx), total=n_tok)
    loader.copy_frames(
        "nft_transfers", fact_frames.transfer_frames(ctx), total=len(ctx.dims["transfers"]["tok"])
    )
    loader.copy_frames("nft_ownership_snapshots", fact_frames.snapshot_frames(ctx))
    _flush(ctx, loader, ["revenue_events"])
    loader.copy_frames(
        "dsp_stream_reports", fact_frames.dsp_frames(ctx), total=len(ctx.dims["dsp"]["day"])
    )
    del ctx.dims["dsp"]
    _flush(ctx, loader, ["dividend_events", "dividend_claims", "wallet_dividend_balances"])
    generate_coins(ctx)
    _flush(
        ctx,
        loader,
        ["artist_tokens", "token_holders", "liquidity_pools", "pool_positions", "pool_events"],
    )
    generate_billing(ctx)
    _flush(ctx, loader, ["subscriptions", "invoices", "payment_methods", "webhooks_log"])
    generate_vstudio(ctx)
    _flush(
        ctx,
        loader,
        [
            "vstudio_sessions",
            "vstudio_decision_points",
            "vstudio_participants",
            "vstudio_votes",
            "vstudio_chat_messages",
        ],
    )
    loader.copy_frames(
        "vstudio_engagement_events",
        fact_frames.engagement_frames(ctx),
        total=len(ctx.dims["engagement"]["t"]),
    )
    del ctx.dims["engagement"]
    generate_observability(ctx)
    _flush(ctx, loader, ["audit_logs", "security_events", "system_events", "rate_limits"])
    sc = ctx.scale
    loader.copy_frames(
        "play_events",
        play_frames(
            ctx.child_rng(99),
            ctx.dims["masters"],
            ctx.dims["users"],
            ctx.start,
            ctx.end,
            sc.plays,
            1,
            sc.play_chunk,
        ),
        total=sc.plays,
    )


def seed_database(url: str, scale: str, seed: int = 42, progress: bool = True) -> dict[str, int]:
    get_scale(scale)  # reject an unknown scale before touching the database
    with connect(url) as conn:
        require_migrated(conn)
        busy = tables_with_rows(conn)
        if busy:
            raise AudifiError(
                f"the database already holds data ({len(busy)} oltp tables, e.g. {busy[0]}); "
                "seed only an empty, freshly migrated database"
            )
        ctx = new_context(scale, seed)
        with Loader(conn, progress) as loader:
            try:
                generate_and_write(ctx, loader)
                _sync_identity(conn)
            except Exception:
                conn.rollback()
                raise
        conn.commit()
        return dict(loader.counts)


def _sync_identity(conn) -> None:
    """play_events ids are written explicitly; move the identity past them for later inserts."""
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('oltp.play_events', 'id'), "
        "GREATEST((SELECT max(id) FROM oltp.play_events), 1))"
    )
