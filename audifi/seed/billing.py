"""Billing (Stripe): subscriptions with trials, renewals and cancellations; invoices, payment
methods and webhooks.

The rules (periods, plan mix, trial, failure and cancellation odds) and the row shapes are
shared by the full seed (``generate_billing``) and ``append_billing``, which renews in the
window with one invoice per period, converts trials, pays invoices left open at the previous
end, rolls free-plan periods over, and starts new subscriptions at the history's rate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import psycopg

from audifi.seed.append_state import Window
from audifi.seed.context import Ctx
from audifi.seed.copy_loader import Loader, RowBuffer
from audifi.seed.identity import is_admin_email
from audifi.seed.ids import IdFactory, keyed_uniform
from audifi.seed.timeline import DAY

# The design's development seed has Free ($0) and Pro ($15 monthly, 14-day trial); the yearly
# Pro and the Label plan are this generator's additions.
TRIAL_DAYS = 14
PLAN_CATALOGUE = [
    # slug, name, price, interval, max_masters, max_ipos, sessions, trial_days, order
    ("free", "Free", "0.00", "monthly", 1, 1, 1, 0, 0),
    ("pro", "Pro", "15.00", "monthly", None, None, None, TRIAL_DAYS, 1),
    ("pro-yearly", "Pro (yearly)", "150.00", "yearly", None, None, None, TRIAL_DAYS, 2),
    ("label", "Label", "99.00", "monthly", None, None, None, 0, 3),
]
FEATURES = (
    "advancedAnalytics",
    "prioritySupport",
    "customBranding",
    "apiAccess",
    "whiteLabel",
    "earlyAccess",
)
PLAN_FEATURES = {
    "free": dict.fromkeys(FEATURES, False),
    "pro": {**dict.fromkeys(FEATURES, True), "whiteLabel": False},
    "label": dict.fromkeys(FEATURES, True),
}
PLAN_FEATURES["pro-yearly"] = PLAN_FEATURES["pro"]
PLANS = [p[0] for p in PLAN_CATALOGUE]
PERIOD = {"monthly": 30 * DAY, "yearly": 365 * DAY}
CANCEL_PER_PERIOD = {"monthly": 0.08, "yearly": 0.3}
REASONS = ["too_expensive", "missing_features", "switched_service", "other"]
PAY_DELAY = 600  # seconds from period start to the card charge
PLAN_MIX = {"fan": [0.15, 0.6, 0.2, 0.05], "artist": [0.05, 0.5, 0.25, 0.2]}
TRIAL_PLANS = ("pro", "pro-yearly")  # TRIAL_SHARE of their subscribers start with a trial
TRIAL = TRIAL_DAYS * DAY
BRANDS = ["visa", "mastercard", "amex"]
PAYMENT_FAILURE = 0.03  # of charges: the invoice stays open, the subscription goes past_due
TRIAL_SHARE = 0.5  # of TRIAL_PLANS subscribers


def subscription_row(
    sid: str, user: str, plan: str, start: int, trial: bool, sub_ref: str | None, cust: str
) -> dict[str, Any]:
    """A subscription started at ``start`` (status and periods are set by the caller)."""
    return {
        "id": sid,
        "user_id": user,
        "plan_id": plan,
        "status": "active",
        "trial_start": start if trial else None,
        "trial_end": start + TRIAL if trial else None,
        "cancel_at_period_end": False,
        "stripe_subscription_id": sub_ref,
        "stripe_customer_id": cust if sub_ref else None,
        "default_payment_method_id": None,
        "metadata": {"source": "web"},
        "created_at": start,
        "updated_at": start,
    }


def payment_method_row(pid: str, user: str, pm: str, u: int, t: int) -> dict[str, Any]:
    """Card ``pm`` of the user; ``u`` varies brand, digits and expiry."""
    return {
        "id": pid,
        "user_id": user,
        "stripe_payment_method_id": pm,
        "payment_method_type": "card",
        "display_name": f"{BRANDS[u % 3].title()} •••• {u % 10000:04d}",
        "brand": BRANDS[u % 3],
        "last4": f"{u % 10000:04d}",
        "expiry_month": 1 + u % 12,
        "expiry_year": 2026 + u % 4,
        "is_default": True,
        "is_expired": False,
        "created_at": t,
        "updated_at": t,
    }


def invoice_row(
    ids: IdFactory,
    seed: int,
    n: int,
    sub: str,
    user: str,
    cents: int,
    period: tuple[int, int],
    paid_at: int | None,
    end: int,
    label: str,
) -> dict[str, Any]:
    """Invoice number ``n`` (1-based, global) of ``period``; paid only if ``paid_at`` < ``end``."""
    p0, p1 = period
    paid = paid_at is not None and paid_at < end
    amount = f"{cents // 100}.{cents % 100:02d}"
    return {
        "id": ids.uuid("invoices"),
        "subscription_id": sub,
        "user_id": user,
        "invoice_number": f"AUD-{n:07d}",
        "stripe_invoice_id": f"in_{seed:x}_{n:08d}",
        "stripe_payment_intent_id": f"pi_{n:08d}" if cents else None,  # a free trial charges none
        "amount_due": amount,
        "amount_paid": amount if paid else "0.00",
        "currency": "usd",
        "status": "paid" if paid else "open",
        "period_start": p0,
        "period_end": p1,
        "due_date": p0 + 7 * DAY,
        "paid_at": paid_at if paid else None,
        "hosted_invoice_url": f"https://invoice.stripe.test/{n}",
        "invoice_pdf_url": f"https://invoice.stripe.test/{n}.pdf",
        "line_items": [
            {"description": f"AudiFi {label}", "quantity": 1, "unitAmount": cents, "amount": cents}
        ],
        "metadata": None,
        "created_at": p0,
        "updated_at": paid_at if paid else p0,
    }


def webhook_row(
    ids: IdFactory,
    seed: int,
    n: int,
    provider: str,
    kind: str,
    t: int,
    obj: str | None,
    sub_ref: str | None,
    cust: str | None,
) -> dict[str, Any]:
    """Stripe webhook number ``n`` (0-based, global): event ``kind`` about ``obj`` at ``t``."""
    return {
        "id": ids.uuid("webhooks_log"),
        "provider_name": "stripe",
        "provider_id": provider,
        "event_type": kind,
        "event_id": f"evt_{seed:x}_{n:08d}",
        "payload_metadata": {
            "objectId": obj,
            "objectType": kind.split(".")[0],
            "customerId": cust,
            "subscriptionId": sub_ref,
        },
        "status": "processed",
        "processed_at": t + 2,
        "retry_count": 0,
        "ip_address": f"54.187.{n % 250}.{(n // 250) % 250}",
        "user_agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "created_at": t,
    }


def plan_rows(ids: IdFactory, t0: int) -> list[dict[str, Any]]:
    """The ``subscription_plans`` catalogue (rows created at ``t0``)."""
    return [
        {
            "id": ids.uuid("subscription_plans"),
            "name": name,
            "slug": slug,
            "description": f"AudiFi {name} plan",
            "price_usd": price,
            "interval": interval,
            "stripe_price_id": None if slug == "free" else f"price_{slug.replace('-', '_')}",
            "stripe_product_id": None if slug == "free" else f"prod_{slug.split('-')[0]}",
            "max_masters": mm,
            "max_ipos_per_month": mi,
            "vstudio_sessions_included": vs,
            "features": PLAN_FEATURES[slug],
            "feature_list": [f"{name} feature {i + 1}" for i in range(5 + (slug != "free"))],
            "is_active": True,
            "is_public": slug != "label",
            "display_order": order,
            "trial_days": trial,
            "created_at": t0,
            "updated_at": t0,
        }
        for slug, name, price, interval, mm, mi, vs, trial, order in PLAN_CATALOGUE
    ]


# -- the full seed


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
        trial = slug in TRIAL_PLANS and rng.random() < TRIAL_SHARE
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
            failed = rng.random() < PAYMENT_FAILURE
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
    ctx.rows.update(
        subscriptions=subs, invoices=invoices, payment_methods=methods, webhooks_log=hooks
    )
    ctx.dims["paid_cover"] = active


def _invoice(
    ctx: Ctx, sid: str, uid: str, cents: int, p0: int, p1: int, paid_at: int | None, label: str
) -> dict[str, Any]:
    n = ctx.dims.setdefault("invoice_seq", [0])
    n[0] += 1
    return invoice_row(ctx.ids, ctx.seed, n[0], sid, uid, cents, (p0, p1), paid_at, ctx.end, label)


# -- appended days


SUBS_SQL = """
SELECT s.id::text, s.user_id::text, extract(epoch FROM s.current_period_end)::bigint,
       s.stripe_subscription_id, s.stripe_customer_id, p.interval::text,
       round(p.price_usd * 100)::int, p.name
FROM oltp.subscriptions s JOIN oltp.subscription_plans p ON p.id = s.plan_id
WHERE s.status IN ('active', 'trialing')
ORDER BY s.created_at, s.id"""

# users who may start a subscription: active, no admin, none yet; artists pick from the
# artists' mix
NEW_SUBSCRIBERS_SQL = """
SELECT u.id::text, extract(epoch FROM u.created_at)::bigint,
       EXISTS (SELECT 1 FROM oltp.artists a WHERE a.user_id = u.id), u.email
FROM oltp.users u
WHERE u.status = 'active'
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
            failed = rng.random() < PAYMENT_FAILURE
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
    candidates = [r[:3] for r in conn.execute(NEW_SUBSCRIBERS_SQL) if not is_admin_email(r[3])]
    rng = w.rng("subscriptions")
    n = min(int(rng.poisson(per_day * w.days)), len(candidates))
    picked = sorted(rng.choice(len(candidates), n, replace=False).tolist()) if n else []
    for k, c in enumerate(picked):
        user, since, artist = candidates[c]
        t = int(rng.integers(max(w.start, since) + 60, w.end - 2 * 3600))
        slug = str(rng.choice(PLANS, p=PLAN_MIX["artist" if artist else "fan"]))
        plan, interval, cents, name = plans[slug]
        trial = slug in TRIAL_PLANS and rng.random() < TRIAL_SHARE
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
        failed = rng.random() < PAYMENT_FAILURE
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
