"""Writing and verifying the audit trail.

`record()` is called by services inside their transaction, so the event exists exactly when the
change does. Details name what changed (field names, ids, counts), never protected values.
"""
import contextvars
import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from rete.core import crypto
from rete.core.models import AuditEvent, AuditVerification

GENESIS = "0" * 64


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""


_origin: contextvars.ContextVar[RequestOrigin] = contextvars.ContextVar("rete_audit_origin", default=RequestOrigin())


def set_origin(origin: RequestOrigin):
    return _origin.set(origin)


def reset_origin(token):
    _origin.reset(token)


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "at": event.at.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "detail": event.detail,
        "ip": event.ip_address,
        "ua": event.user_agent,
        "prev": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def compute_hash(event: AuditEvent) -> str:
    """HMAC keyed with a secret kept outside the database: someone who can write to the table
    cannot recompute the chain after changing it."""
    return hmac.new(crypto.audit_key(), _canonical(event), hashlib.sha256).hexdigest()


def _check_detail(value, depth=0):
    # Details are for ids, names of fields and short codes; long free text would be a way to
    # leak narrative into the log.
    if depth > 3:
        raise ValueError("audit detail nested too deeply")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError("audit detail keys must be strings")
            _check_detail(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_detail(item, depth + 1)
    elif isinstance(value, str):
        if len(value) > 200:
            raise ValueError("audit detail strings are limited to 200 characters")
    elif value is not None and not isinstance(value, (bool, int, float)):
        raise ValueError(f"audit detail cannot hold {type(value).__name__}")


def record(*, action, actor=None, organisation=None, obj=None, object_type="", object_id="", detail=None):
    """Append one event. Must run inside the caller's transaction (it opens one if none)."""
    detail = detail or {}
    _check_detail(detail)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    origin = _origin.get()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One writer at a time extends the chain; the lock ends with the transaction.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [7261_0001])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        actor_obj = actor if getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            seq=seq,
            at=timezone.now(),
            actor=actor_obj,
            actor_label=(actor_obj.email if actor_obj else "")[:254],
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail,
            ip_address=origin.ip_address,
            user_agent=origin.user_agent[:200],
            prev_hash=prev_hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


@dataclass
class VerificationResult:
    ok: bool
    events_checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify(*, chunk_size=2000) -> VerificationResult:
    """Recompute the chain in order. Finds altered content, broken links and gaps (removed
    events). Memory stays flat however long the trail is."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return VerificationResult(False, checked, expected_seq, f"events {expected_seq}–{event.seq - 1} are missing")
        if event.prev_hash != expected_prev:
            return VerificationResult(False, checked, event.seq, "the link to the previous event is broken")
        if compute_hash(event) != event.hash:
            return VerificationResult(False, checked, event.seq, "the event's content was altered")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    return VerificationResult(True, checked)


def verify_and_store(*, run_by=None) -> VerificationResult:
    result = verify()
    with transaction.atomic():
        AuditVerification.objects.create(
            ok=result.ok,
            events_checked=result.events_checked,
            first_bad_seq=result.first_bad_seq,
            problem=result.problem,
            run_by=run_by,
        )
        record(action="audit.verified", actor=run_by, detail={"ok": result.ok, "events": result.events_checked})
    return result
