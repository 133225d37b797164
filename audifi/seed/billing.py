"""Billing (Stripe): subscriptions, invoices, payment methods and webhooks, one simulation
(``Billing``) for both paths: a subscription's rows are functions of it and an "as of" instant."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psycopg

from audifi.seed import keyed
from audifi.seed.context import Run
from audifi.seed.copy_loader import Row, RowBuffer, TableWriter
from audifi.seed.identity import N_ADMINS, Lifecycle
from audifi.seed.ids import IdFactory
from audifi.seed.money import usd
from audifi.seed.timeline import DAY, NEVER

TRIAL_DAYS = 14
PLAN_COLUMNS = ["slug", "name", "price_usd", "interval", "max_masters", "max_ipos_per_month"]
PLAN_COLUMNS += ["vstudio_sessions_included", "trial_days"]
PLAN_CATALOGUE = [  # in display order; Free and Pro are the design's development seed's
    ("free", "Free", "0.00", "monthly", 1, 1, 1, 0),
    ("pro", "Pro", "15.00", "monthly", None, None, None, TRIAL_DAYS),
    ("pro-yearly", "Pro (yearly)", "150.00", "yearly", None, None, None, TRIAL_DAYS),
    ("label", "Label", "99.00", "monthly", None, None, None, 0),
]
FEATURES = ["advancedAnalytics", "prioritySupport", "customBranding", "apiAccess"]
FEATURES += ["whiteLabel", "earlyAccess"]
LACKS = {"free": set(FEATURES), "pro": {"whiteLabel"}, "pro-yearly": {"whiteLabel"}, "label": set()}
PERIOD = {"monthly": 30 * DAY, "yearly": 365 * DAY}
CANCEL_PER_PERIOD = {"monthly": 0.08, "yearly": 0.3}
REASONS = ["too_expensive", "missing_features", "switched_service", "other"]
PAY_DELAY = 600  # seconds from period start to the card charge
PLAN_MIX = {"fan": [0.15, 0.6, 0.2, 0.05], "artist": [0.05, 0.5, 0.25, 0.2]}
TRIAL_PLANS = [j for j, plan in enumerate(PLAN_CATALOGUE) if plan[-1]]  # their trial_days
TRIAL = TRIAL_DAYS * DAY
PAYMENT_FAILURE = 0.03  # of charges: the invoice stays open, the subscription goes past_due
TRIAL_SHARE = 0.5  # of TRIAL_PLANS subscribers
SUBSCRIBE = {"fan": 0.2, "artist": 0.6}  # of users after signing up, of artists in all
SUBSCRIBE_DAYS = 30  # mean delay (exponential)
PERIODS = 1000  # numbers per subscription: invoice k of user i is number i * PERIODS + k
HOOKS = PERIODS + 2  # webhooks per subscription: created, one per invoice, deleted
TABLES = ["payment_methods", "subscriptions", "invoices", "webhooks_log"]  # in FK order
SUB_MOVES = ["status", "current_period_start", "current_period_end", "canceled_at"]  # moved on
SUB_MOVES += ["cancel_at_period_end", "cancellation_reason", "updated_at"]
MOVES = {"subscriptions": SUB_MOVES, "invoices": ["status", "amount_paid", "paid_at", "updated_at"]}
CARD = {"payment_method_type": "card", "is_default": True, "is_expired": False}  # every card's
HOOK = {"provider_name": "stripe", "status": "processed", "retry_count": 0}  # every webhook's
Cover = dict[int, tuple[int, int]]  # user number -> paid [start, end]: V Studio's rule


def plan_rows(ids: IdFactory, t0: int) -> list[Row]:
    return [
        {
            **dict(zip(PLAN_COLUMNS, (slug, name, *rest), strict=True)),
            "id": ids.uuid("subscription_plans"),
            "description": f"AudiFi {name} plan",
            "stripe_price_id": None if slug == "free" else f"price_{slug.replace('-', '_')}",
            "stripe_product_id": None if slug == "free" else f"prod_{slug.split('-')[0]}",
            "features": {f: f not in LACKS[slug] for f in FEATURES},
            "feature_list": [f"{name} feature {i + 1}" for i in range(5 + (slug != "free"))],
            "is_active": True,
            "is_public": slug != "label",
            "display_order": order,
            "created_at": t0,
            "updated_at": t0,
        }
        for order, (slug, name, *rest) in enumerate(PLAN_CATALOGUE)
    ]


@dataclass
class Billing:
    """The rows of [since, as_of): new ones, stored ones moved on, and the paid cover at as_of."""

    ids: IdFactory  # of the run's seed: ids are numbered by user (and period) on every path
    provider: str  # the Stripe payment provider's id
    plan_ids: dict[str, str]  # slug -> id
    user_ids: list[str]
    since: int
    as_of: int
    rows: dict[str, RowBuffer] = field(default_factory=lambda: {t: RowBuffer(t) for t in TABLES})
    moved: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in MOVES})
    cover: Cover = field(default_factory=dict)

    def subscribers(self, users: Lifecycle, artist_at: np.ndarray) -> tuple[np.ndarray, ...]:
        """Who subscribes before ``as_of`` (user numbers), when, to which plan, with a trial?"""
        key = (self.ids.seed, "subscriber", users.number)
        u = {d: keyed.uniform(*key, d) for d in (0, 2, 3)}
        fan = u[0] < SUBSCRIBE["fan"]
        delay = keyed.exponential(*key, 1) * SUBSCRIBE_DAYS * DAY
        start = np.where(fan, users.created, artist_at) + delay.astype(np.int64)
        ok = (fan | (u[0] < SUBSCRIBE["artist"])) & (start < np.minimum(users.churn, self.as_of))
        ok &= (users.number >= N_ADMINS) & users.active
        mix = {k: keyed.categorical(u[2], p) for k, p in PLAN_MIX.items()}
        plan = np.where(artist_at <= start, mix["artist"], mix["fan"])
        trial = np.isin(plan, TRIAL_PLANS) & (u[3] < TRIAL_SHARE)
        return users.number[ok], start[ok], plan[ok], trial[ok]

    def run(self, users: Lifecycle, artists: dict[str, np.ndarray]) -> Cover:
        """Every subscription started before ``as_of``, with keyed draws per period: the cover."""
        artist_at = np.full(len(self.user_ids), NEVER, np.int64)  # when the user became an artist
        artist_at[artists["user"]] = artists["created"]
        number, start, plan, trial = self.subscribers(users, artist_at)
        length = np.array([PERIOD[p[3]] for p in PLAN_CATALOGUE])[plan]
        count = trial + np.maximum(0, -((start + trial * TRIAL - self.as_of) // length))  # begun
        at = np.cumsum(count) - count
        key = np.repeat(number * PERIODS - at, count) + np.arange(count.sum())
        u = np.stack([keyed.uniform(self.ids.seed, "billing-period", key, d) for d in range(5)], 1)
        for j, i in enumerate(number.tolist()):
            draws = u[at[j] : at[j] + count[j]].tolist()
            self.subscription(i, int(start[j]), plan[j], bool(trial[j]), draws, int(users.churn[i]))
        return self.cover

    def subscription(
        self, i: int, start: int, plan: int, trial: bool, draws: list[list[float]], churn: int
    ) -> None:
        """User ``i``'s subscription: the trial, then a period at a time until it fails or ends."""
        slug, name, price, interval = PLAN_CATALOGUE[plan][:4]
        cents, length, first = round(float(price) * 100), PERIOD[interval], start + trial * TRIAL
        own = {"user_id": self.user_ids[i], "created_at": start, "updated_at": start}
        row = {
            **own,
            "id": self.ids.uuids_at("subscriptions", [i])[0],
            "plan_id": self.plan_ids[slug],
            "trial_start": start if trial else None,
            "trial_end": first if trial else None,
            "stripe_subscription_id": f"sub_{i:08d}" if cents else None,
            "stripe_customer_id": f"cus_{i:08d}" if cents else None,
            "default_payment_method_id": f"pm_{i:08d}" if cents else None,
            "cancel_at_period_end": False,
            "metadata": {"source": "web"},
        }
        if cents:
            brand, last4 = ["visa", "mastercard", "amex"][i % 3], f"{i % 10000:04d}"
            card = {
                **own,
                "id": self.ids.uuids_at("payment_methods", [i])[0],
                "stripe_payment_method_id": row["default_payment_method_id"],
                **CARD,
                "display_name": f"{brand.title()} •••• {last4}",
                "brand": brand,
                "last4": last4,
                "expiry_month": 1 + i % 12,
                "expiry_year": 2026 + i % 4,
            }
            self.keep("payment_methods", card)
            self.hook(row, i, 0, "customer.subscription.created", start)
        # the end of the last paid period; paid cover starts at ``first``, the first charged
        # period, because a failed charge ends the subscription (no later period is paid)
        paid_to = 0
        for k, (fail, cancel, when, at_end, reason) in enumerate(draws):
            p1 = first + (k + 1 - trial) * length
            p0, status = (start, "trialing") if k < trial else (p1 - length, "active")
            self.step(row, p0, status=status, current_period_start=p0, current_period_end=p1)
            charged = bool(cents) and k >= trial
            failed = charged and fail < PAYMENT_FAILURE
            if cents:  # an invoice (the trial's is $0, paid at once)
                ref, pay = f"in_{self.ids.seed:x}_{i:06d}_{k:03d}", p0 + PAY_DELAY * charged
                if charged:
                    hook = "invoice.payment_failed" if failed else "invoice.paid"
                    self.hook(row, i, 1 + k, hook, pay, ref)
                paid_at = pay if not failed and pay < self.as_of else None
                paid_to = p1 if charged and paid_at else paid_to
                due, what = cents * charged, f"AudiFi {name if charged else 'Trial'}"
                invoice = {
                    "id": self.ids.uuids_at("invoices", [i * PERIODS + k])[0],
                    "subscription_id": row["id"],
                    "user_id": row["user_id"],
                    "invoice_number": f"AUD-{i:06d}-{k:03d}",
                    "stripe_invoice_id": ref,
                    "stripe_payment_intent_id": f"pi_{ref[3:]}" if charged else None,
                    "amount_due": usd(due),
                    "amount_paid": usd(due) if paid_at else "0.00",
                    "currency": "usd",
                    "status": "paid" if paid_at else "open",
                    "period_start": p0,
                    "period_end": p1,
                    "due_date": p0 + 7 * DAY,
                    "paid_at": paid_at,
                    "hosted_invoice_url": f"https://invoice.stripe.test/{ref}",
                    "invoice_pdf_url": f"https://invoice.stripe.test/{ref}.pdf",
                    "line_items": [dict(description=what, quantity=1, unitAmount=due, amount=due)],
                    "created_at": p0,
                    "updated_at": paid_at or p0,
                }
                self.keep("invoices", invoice)
            if failed:
                self.step(row, p0 + PAY_DELAY, status="past_due")
                break
            # canceled at keyed odds, or when the user leaves, whichever comes first
            quits = charged and cancel < CANCEL_PER_PERIOD[interval]
            t = min(churn, p0 + int((0.1 + 0.8 * when) * length) if quits else NEVER)
            if t < p1:
                why = REASONS[int(reason * len(REASONS))]
                self.step(row, t, status="canceled", canceled_at=t, cancellation_reason=why)
                self.step(row, t, cancel_at_period_end=at_end < 0.5)
                self.hook(row, i, HOOKS - 1, "customer.subscription.deleted", t)
                break
        if paid_to:
            self.cover[i] = (first, min(paid_to, row.get("canceled_at") or NEVER))
        self.keep("subscriptions", row)

    def step(self, row: Row, t: int, **cols: Any) -> None:
        if t < self.as_of:
            row.update(cols, updated_at=t)

    def keep(self, table: str, row: Row) -> None:
        """A row created in the window is new; one created before that changed in it moved on."""
        if row["created_at"] >= self.since:
            self.rows[table].append(row)
        elif row["updated_at"] >= self.since:
            self.moved[table].append(row)

    def hook(self, sub: Row, i: int, slot: int, kind: str, t: int, obj: str | None = None) -> None:
        """Webhook ``slot`` of ``sub`` about ``obj`` (default: ``sub``), if it is in the window."""
        n, ref = i * HOOKS + slot, sub["stripe_subscription_id"]
        if ref and self.since <= t < self.as_of:  # free subscriptions have no Stripe side
            row = {
                "id": self.ids.uuids_at("webhooks_log", [n])[0],
                "provider_id": self.provider,
                **HOOK,
                "event_type": kind,
                "event_id": f"evt_{self.ids.seed:x}_{n:010d}",
                "payload_metadata": {
                    "objectId": obj or ref,
                    "objectType": kind.split(".")[0],
                    "customerId": sub["stripe_customer_id"],
                    "subscriptionId": ref,
                },
                "processed_at": t + 2,
                "ip_address": f"54.187.{n % 250}.{(n // 250) % 250}",
                "user_agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "created_at": t,
            }
            self.rows["webhooks_log"].append(row)


def write_billing(out: TableWriter, w: Run, provider: str, plans: dict[str, str]) -> Cover:
    """``Billing`` over the run (``plans``: id by slug): its rows, and the stored ones moved on to
    its end (a full seed has none)."""
    b = Billing(w.ids, provider, plans, w.users[1], w.start, w.end)
    cover = b.run(w.users[0], w.catalogue["artists"])
    for table, rows in b.rows.items():
        out.copy_rows(table, rows)
    for table, moved in b.moved.items():
        out.update(table, moved, MOVES[table])
    return cover


def stored_plans(conn: psycopg.Connection) -> tuple[str, dict[str, str]]:
    """The stored Stripe provider's id and the plans' ids by slug (``write_billing``'s)."""
    stripe = "SELECT id::text FROM oltp.payment_providers WHERE provider_type = 'stripe'"
    (provider,) = conn.execute(stripe).fetchone()  # type: ignore[misc]
    return provider, dict(conn.execute("SELECT slug, id::text FROM oltp.subscription_plans"))
