"""Full seed: every stage in FK order in one transaction, generated in background threads
while this thread feeds COPY; a table is written once final, and the play log is generated and
loaded alongside the other stages."""

from __future__ import annotations

import numpy as np

from audifi.errors import AudifiError
from audifi.seed import plays
from audifi.seed.append import refresh_counters
from audifi.seed.artists import write_catalogue
from audifi.seed.background import load_in_background
from audifi.seed.billing import write_billing
from audifi.seed.coins import write_coins
from audifi.seed.context import Run
from audifi.seed.copy_loader import Loader, TableWriter
from audifi.seed.database import connect, require_migrated, tables_with_rows
from audifi.seed.identity import write_identity
from audifi.seed.ids import IdFactory
from audifi.seed.nfts import generate_ipos
from audifi.seed.observability import write_activity
from audifi.seed.reference import generate_reference
from audifi.seed.revenue import dsp_frames, generate_revenue
from audifi.seed.scales import get_scale
from audifi.seed.timeline import AS_OF, DAY
from audifi.seed.vstudio import Facts, write_vstudio


def generate_and_write(ctx: Run, out: TableWriter) -> None:
    """Generate stage by stage in FK order; each table is written once it is final."""

    def flush(*tables: str) -> None:
        """Write finished tables and drop their rows, so memory holds one stage at a time."""
        for t in tables:
            out.copy_rows(t, ctx.rows.pop(t))

    generate_reference(ctx)
    flush("roles", "identity_providers", "subscription_plans", "payment_providers")
    write_identity(out, ctx, None)  # a full seed: nothing stored so far
    masters, follows = write_catalogue(out, ctx, None)
    generate_ipos(ctx)
    flush("master_ipos", "master_contracts")
    out.fork(plays.play_job(ctx))  # runs in its own thread alongside the later stages
    generate_revenue(ctx)
    flush("dividend_contracts")
    ledger, market = ctx.dims.pop("ledger"), ctx.dims["market"]
    tokens = market.nft_frames(np.arange(len(ledger.paid)), ctx.end, ledger.token_dividends())
    out.copy_frames("master_nfts", tokens, total=len(ledger.paid))
    ev = ctx.dims.pop("nft_events")
    out.copy_frames("nft_transfers", market.transfer_frames(ev), total=len(ev["tok"]))
    out.copy_frames("nft_ownership_snapshots", ledger.snapshot_frames())
    flush("revenue_events")
    lines = ctx.dims.pop("dsp")
    frames = dsp_frames(ctx.seed, lines, ctx.catalogue["masters"]["id"], ctx.dims["revenue_ids"])
    out.copy_frames("dsp_stream_reports", frames, total=len(lines["day"]))
    ledger.write_facts(out)
    del ledger
    coins = write_coins(out, ctx, {})
    cover = write_billing(out, ctx, *ctx.dims["billing"])
    # votes check NFT, coin and subscription eligibility: after those stages
    facts = Facts(follows, coins, cover, ctx.dims["holdings"].owners(market))
    write_vstudio(out, ctx, facts, [])
    write_activity(out, ctx, masters, market.launch_audit(ctx.start, ctx.end))


def seed_database(
    url: str, scale: str, seed: int = 42, progress: bool = True, end: int = AS_OF
) -> dict[str, int]:
    """Seed ``scale``'s history, which starts ``scale.days`` before ``AS_OF``; ``end`` cuts it
    short (whole days before ``AS_OF``), so that appended days can replay its last days."""
    sc = get_scale(scale)  # reject an unknown scale before touching the database
    if end % DAY or not AS_OF - 30 * DAY <= end <= AS_OF:
        raise AudifiError("the seed's end must be a whole day within 30 days before AS_OF")
    with connect(url) as conn:  # commits, or rolls back on an error
        require_migrated(conn)
        busy = tables_with_rows(conn)
        if busy:
            raise AudifiError(
                f"the database already holds data ({len(busy)} oltp tables, e.g. {busy[0]}); "
                "seed only an empty, freshly migrated database"
            )
        origin = AS_OF - sc.days * DAY
        ctx = Run(seed, sc, start=origin, end=end, origin=origin, ids=IdFactory(seed))
        with Loader(conn, progress) as loader:
            load_in_background(loader, lambda out: generate_and_write(ctx, out))
            plays.sync_play_identity(conn)
            refresh_counters(conn)
        return dict(loader.counts)
