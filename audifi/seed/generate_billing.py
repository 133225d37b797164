"""Subscriptions with trials, renewals and cancellations; invoices, payment methods, webhooks."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from audifi.seed.billing_rows import (
    CANCEL_PER_PERIOD,
    PAY_DELAY,
    PERIOD,
    PLAN_MIX,
    PLANS,
    REASONS,
    TRIAL,
    TRIAL_PLANS,
    invoice_row,
    payment_method_row,
    subscription_row,
    webhook_row,
)
from audifi.seed.context import Ctx
from audifi.seed.copy_loader import RowBuffer
from audifi.seed.timeline import DAY


def generate_billing(ctx: Ctx) -> None:
    rng = ctx.rng
    users = ctx.dims["users"]
    plans = {p["slug"]: p for p in ctx.dims["plans"]}
    n = len(users["id"])
    subs, invoices = RowBuffer("subscriptions"), RowBuffer("invoices")
    methods, hooks = RowBuffer("payment_methods"), RowBuffer("webhooks_log")
    active: dict[int, list[tuple[int, int]]] = defaultdict(list)  # paid coverage per user
    artist_users = set(ctx.dims["artist_users"].tolist())
    stripe = ctx.dims["stripe_provider_id"]

    def hook(kind: str, t: int, obj: str | None, sub_ref: str | None, cust: str) -> None:
        if t < ctx.end:
            hooks.append(
                webhook_row(ctx.ids, ctx.seed, len(hooks), stripe, kind, t, obj, sub_ref, cust)
            )

    for u in range(3, n):
        subscribe = rng.random() < (0.6 if u in artist_users else 0.2)
        start = int(users["created"][u] + rng.exponential(30) * DAY)
        if not subscribe or start >= ctx.end - DAY or str(users["status"][u]) == "deleted":
            continue
        slug = str(rng.choice(PLANS, p=PLAN_MIX["artist" if u in artist_users else "fan"]))
        plan = plans[slug]
        price_cents = round(float(plan["price_usd"]) * 100)
        sid = ctx.ids.uuid("subscriptions")
        cust = f"cus_{u:08d}"
        sub_ref = f"sub_{len(subs):08d}" if slug != "free" else None
        trial = slug in TRIAL_PLANS and rng.random() < 0.5
        row = subscription_row(sid, users["id"][u], plan["id"], start, trial, sub_ref, cust)
        if slug == "free":
            period = PERIOD["monthly"]
            k = (ctx.end - start) // period
            row.update(
                current_period_start=start + k * period, current_period_end=start + (k + 1) * period
            )
            subs.append(row)
            continue
        pm = f"pm_{u:08d}"
        row["default_payment_method_id"] = pm
        methods.append(
            payment_method_row(ctx.ids.uuid("payment_methods"), users["id"][u], pm, u, start)
        )
        hook("customer.subscription.created", start, sub_ref, sub_ref, cust)
        period = PERIOD[plan["interval"]]
        p0 = start
        if trial:
            invoices.append(
                _invoice(ctx, sid, users["id"][u], 0, start, start + TRIAL, start, "Trial")
            )
            p0 = start + TRIAL
        cover_start = p0
        status, canceled_at = "active", None
        if trial and p0 >= ctx.end:
            status = "trialing"
            row.update(status=status, current_period_start=start, current_period_end=p0)
        while p0 < ctx.end and status == "active":
            p1 = p0 + period
            failed = rng.random() < 0.03
            inv = _invoice(
                ctx,
                sid,
                users["id"][u],
                price_cents,
                p0,
                p1,
                None if failed else p0 + PAY_DELAY,
                plan["name"],
            )
            invoices.append(inv)
            hook(
                "invoice.payment_failed" if failed else "invoice.paid",
                p0 + PAY_DELAY,
                inv["stripe_invoice_id"],
                sub_ref,
                cust,
            )
            row.update(current_period_start=p0, current_period_end=p1, updated_at=p0)
            if failed:
                status = "past_due"
                break
            if rng.random() < CANCEL_PER_PERIOD[plan["interval"]]:
                canceled_at = int(p0 + rng.uniform(0.1, 0.9) * period)
                if canceled_at < ctx.end:
                    status = "canceled"
                    break
            p0 = p1
        if status == "canceled":
            row.update(
                status="canceled",
                canceled_at=canceled_at,
                updated_at=canceled_at,
                cancel_at_period_end=bool(rng.random() < 0.5),
                cancellation_reason=str(rng.choice(REASONS)),
            )
            hook("customer.subscription.deleted", canceled_at, sub_ref, sub_ref, cust)
            active[u].append((cover_start, canceled_at))
        else:
            row["status"] = status
            # past_due: the last period's invoice failed, so paid cover ends where it begins
            cover_end = (
                row["current_period_start"] if status == "past_due" else row["current_period_end"]
            )
            if status != "trialing" and cover_end > cover_start:
                active[u].append((cover_start, cover_end))
        subs.append(row)
    ctx.rows["subscriptions"] = subs
    ctx.rows["invoices"] = invoices
    ctx.rows["payment_methods"] = methods
    ctx.rows["webhooks_log"] = hooks
    ctx.dims["paid_cover"] = active


def _invoice(
    ctx: Ctx, sid: str, uid: str, cents: int, p0: int, p1: int, paid_at: int | None, label: str
) -> dict[str, Any]:
    n = ctx.dims.setdefault("invoice_seq", [0])
    n[0] += 1
    return invoice_row(ctx.ids, ctx.seed, n[0], sid, uid, cents, (p0, p1), paid_at, ctx.end, label)
