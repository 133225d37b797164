"""Billing in the window: renewals with one invoice per period, trial conversions, payments of
invoices left open at the previous end, failures (``past_due``), cancellations, free-plan period
roll-overs, and the Stripe webhooks of each (as the full seed's billing does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from audifi.seed.append_state import Window
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
from audifi.seed.copy_loader import Loader
from audifi.seed.ids import keyed_uniform
from audifi.seed.timeline import DAY

SUBS_SQL = """
SELECT s.id::text, s.user_id::text, extract(epoch FROM s.current_period_end)::bigint,
       s.stripe_subscription_id, s.stripe_customer_id, p.interval::text,
       round(p.price_usd * 100)::int, p.name
FROM oltp.subscriptions s JOIN oltp.subscription_plans p ON p.id = s.plan_id
WHERE s.status IN ('active', 'trialing')
ORDER BY s.created_at, s.id"""

# users who may start a subscription: active, none yet; artists pick from the artists' mix
NEW_SUBSCRIBERS_SQL = """
SELECT u.id::text, extract(epoch FROM u.created_at)::bigint,
       EXISTS (SELECT 1 FROM oltp.artists a WHERE a.user_id = u.id)
FROM oltp.users u
WHERE u.status = 'active' AND u.email NOT LIKE '%@audifi.test'
  AND NOT EXISTS (SELECT 1 FROM oltp.subscriptions s WHERE s.user_id = u.id)
ORDER BY u.created_at, u.id"""

OPEN_INVOICES_SQL = """
SELECT i.id::text, i.amount_due, extract(epoch FROM i.period_start)::bigint,
       i.stripe_invoice_id, s.stripe_subscription_id, s.stripe_customer_id
FROM oltp.invoices i JOIN oltp.subscriptions s ON s.id = i.subscription_id
WHERE i.status = 'open' AND s.status = 'active'
ORDER BY i.created_at, i.id"""


@dataclass
class Billing:
    w: Window
    provider: str
    invoice_base: int
    hook_base: int
    invoices: list[dict[str, Any]] = field(default_factory=list)
    paid: list[dict[str, Any]] = field(default_factory=list)
    subs: list[dict[str, Any]] = field(default_factory=list)
    new_subs: list[dict[str, Any]] = field(default_factory=list)
    methods: list[dict[str, Any]] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)

    def hook(self, kind: str, t: int, obj: str | None, sub_ref: str, cust: str) -> None:
        n = self.hook_base + len(self.hooks)  # numbered on from the hooks already stored
        w = self.w
        self.hooks.append(webhook_row(w.ids, w.seed, n, self.provider, kind, t, obj, sub_ref, cust))

    def invoice(
        self, sub: str, user: str, cents: int, p0: int, p1: int, paid_at: int | None, label: str
    ) -> dict[str, Any]:
        n = self.invoice_base + len(self.invoices) + 1
        w = self.w
        row = invoice_row(w.ids, w.seed, n, sub, user, cents, (p0, p1), paid_at, w.end, label)
        self.invoices.append(row)
        return row


def append_billing(conn: psycopg.Connection, writer: Loader, w: Window) -> None:
    inv_n, hook_n, provider = conn.execute(
        """SELECT (SELECT count(*) FROM oltp.invoices), (SELECT count(*) FROM oltp.webhooks_log),
                  (SELECT id::text FROM oltp.payment_providers WHERE provider_type = 'stripe')"""
    ).fetchone()  # type: ignore[misc]
    b = Billing(w, provider, inv_n, hook_n)
    for iid, due, p0, ref, sub_ref, cust in conn.execute(OPEN_INVOICES_SQL).fetchall():
        # charged at its usual delay; a charge that fell before the window happens early in it
        t = w.clamp(p0 + PAY_DELAY, keyed_uniform(w.seed, "pay", iid))
        if t < w.end:
            b.paid.append(
                {"id": iid, "status": "paid", "amount_paid": due, "paid_at": t, "updated_at": t}
            )
            b.hook("invoice.paid", t, ref, sub_ref, cust)
    rng = w.rng("billing")
    for sid, user, cpe, sub_ref, cust, interval, cents, plan in conn.execute(SUBS_SQL).fetchall():
        if cpe >= w.end:
            continue
        row: dict[str, Any] = {"id": sid, "status": "active"}
        period = PERIOD.get(interval, PERIOD["monthly"])
        while cpe < w.end and row["status"] == "active":
            cps, cpe = cpe, cpe + period
            row.update(current_period_start=cps, current_period_end=cpe, updated_at=cps)
            if cents == 0:  # free plan: the period rolls over, nothing is charged
                continue
            failed = rng.random() < 0.03
            inv = b.invoice(sid, user, cents, cps, cpe, None if failed else cps + PAY_DELAY, plan)
            if cps + PAY_DELAY < w.end:
                kind = "invoice.payment_failed" if failed else "invoice.paid"
                b.hook(kind, cps + PAY_DELAY, inv["stripe_invoice_id"], sub_ref, cust)
            if failed:
                row["status"] = "past_due"
            elif rng.random() < CANCEL_PER_PERIOD.get(interval, 0.08):
                canceled = int(cps + rng.uniform(0.1, 0.9) * period)
                if canceled < w.end:
                    row.update(
                        status="canceled",
                        canceled_at=canceled,
                        updated_at=canceled,
                        cancel_at_period_end=bool(rng.random() < 0.5),
                        cancellation_reason=REASONS[int(rng.integers(0, len(REASONS)))],
                    )
                    b.hook("customer.subscription.deleted", canceled, sub_ref, sub_ref, cust)
        row.setdefault("canceled_at", None)
        row.setdefault("cancel_at_period_end", False)
        row.setdefault("cancellation_reason", None)
        b.subs.append(row)
    _new_subscriptions(conn, b)
    writer.copy_rows("payment_methods", b.methods)
    writer.copy_rows("subscriptions", b.new_subs)
    writer.copy_rows("invoices", b.invoices)
    writer.update("invoices", b.paid, ["status", "amount_paid", "paid_at", "updated_at"])
    writer.update(
        "subscriptions",
        b.subs,
        [
            "status",
            "current_period_start",
            "current_period_end",
            "canceled_at",
            "cancel_at_period_end",
            "cancellation_reason",
            "updated_at",
        ],
    )
    b.hooks.sort(key=lambda h: h["created_at"])
    writer.copy_rows("webhooks_log", b.hooks)


def _new_subscriptions(conn: psycopg.Connection, b: Billing) -> None:
    """Subscriptions started in the window at the history's rate: a free plan's first period,
    a paid plan's 14-day trial (a zero invoice) or first paid (3 % failed) period."""
    w = b.w
    n_subs, per_day = conn.execute(
        "SELECT count(*), count(*) / %s::float FROM oltp.subscriptions", (w.history_days,)
    ).fetchone()  # type: ignore[misc]
    plans = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT slug, id::text, interval::text, round(price_usd * 100)::int, name "
            "FROM oltp.subscription_plans"
        )
    }
    candidates = conn.execute(NEW_SUBSCRIBERS_SQL).fetchall()
    rng = w.rng("subscriptions")
    n = min(int(rng.poisson(per_day * w.days)), len(candidates))
    picked = sorted(rng.choice(len(candidates), n, replace=False).tolist()) if n else []
    for k, c in enumerate(picked):
        user, since, artist = candidates[c]
        t = int(rng.integers(max(w.start, since) + 60, w.end - 2 * 3600))
        slug = str(rng.choice(PLANS, p=PLAN_MIX["artist" if artist else "fan"]))
        plan, interval, cents, name = plans[slug]
        trial = slug in TRIAL_PLANS and rng.random() < 0.5
        number = int(n_subs) + k
        sub_ref = f"sub_{number:08d}" if cents else None
        cust = f"cus_{w.start // DAY}_{k:04d}"
        sid = w.ids.uuid("subscriptions")
        row = subscription_row(sid, user, plan, t, trial, sub_ref, cust)
        b.new_subs.append(row)
        if not cents:
            row.update(current_period_start=t, current_period_end=t + PERIOD["monthly"])
            continue
        pm = f"pm_{w.start // DAY}_{k:04d}"
        row["default_payment_method_id"] = pm
        b.methods.append(payment_method_row(w.ids.uuid("payment_methods"), user, pm, number, t))
        b.hook("customer.subscription.created", t, sub_ref, sub_ref, cust)
        if trial:
            b.invoice(sid, user, 0, t, t + TRIAL, t, "Trial")
            row.update(status="trialing", current_period_start=t, current_period_end=t + TRIAL)
            continue
        p1 = t + PERIOD[interval]
        failed = rng.random() < 0.03
        inv = b.invoice(sid, user, cents, t, p1, None if failed else t + PAY_DELAY, name)
        b.hook(
            "invoice.payment_failed" if failed else "invoice.paid",
            t + PAY_DELAY,
            inv["stripe_invoice_id"],
            sub_ref,
            cust,
        )
        row.update(
            status="past_due" if failed else "active", current_period_start=t, current_period_end=p1
        )
