"""Stripe billing rules shared by the full seed (``generate_billing``) and ``append_days``
(``append_billing``): periods, cancellation odds, and the invoice and webhook rows."""

from __future__ import annotations

from typing import Any

from audifi.seed.ids import IdFactory
from audifi.seed.timeline import DAY

PERIOD = {"monthly": 30 * DAY, "yearly": 365 * DAY}
CANCEL_PER_PERIOD = {"monthly": 0.08, "yearly": 0.3}
REASONS = ["too_expensive", "missing_features", "switched_service", "other"]
PAY_DELAY = 600  # seconds from period start to the card charge
PLANS = ["free", "pro", "pro-yearly", "label"]
PLAN_MIX = {"fan": [0.15, 0.6, 0.2, 0.05], "artist": [0.05, 0.5, 0.25, 0.2]}
TRIAL_PLANS = ("pro", "pro-yearly")  # half of their subscribers start with a 14-day trial
TRIAL = 14 * DAY
BRANDS = ["visa", "mastercard", "amex"]


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
