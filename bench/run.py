"""Benchmarks at scale (never part of `make test`). Writes var/bench/report.md.

Builds, in its own database under var/bench/, a trail of audit events and an organisation with
thousands of members, then times what must stay fast as the data grows: verifying the chain,
the first page of the audit trail and of the member list, and appending one more event.
"""
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RETE_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rete.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from rete.core import audit  # noqa: E402
from rete.core.models import AuditEvent, Membership, Organisation, Role, User  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "200000"))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "5000"))
CASES = int(os.environ.get("BENCH_CASES", "20000"))


def timed(fn, repeat=5):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def build():
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    org, _ = Organisation.objects.get_or_create(slug="bench", defaults={"name": "Bench Centre", "short_name": "Bench", "country": "IT", "kinds": ["victim_support"], "languages": ["it"]})
    have = AuditEvent.objects.count()
    if have < EVENTS:
        last = AuditEvent.objects.order_by("-seq").first()
        prev, seq = (last.hash, last.seq) if last else (audit.GENESIS, 0)
        at = timezone.now() - timedelta(days=365)
        batch = []
        for i in range(EVENTS - have):
            seq += 1
            event = AuditEvent(seq=seq, at=at + timedelta(seconds=seq), organisation=org, action="bench.event",
                               object_type="core.user", object_id=str(i % 997), detail={"fields": ["phone"]}, prev_hash=prev)
            event.hash = audit.compute_hash(event)
            prev = event.hash
            batch.append(event)
            if len(batch) == 5000:
                AuditEvent.objects.bulk_create(batch)
                batch = []
        AuditEvent.objects.bulk_create(batch)
    have_members = Membership.objects.filter(organisation=org).count()
    for i in range(have_members, MEMBERS):
        user = User.objects.create_user(email=f"m{i}@bench.example", first_name="M", last_name=f"{i:05d}")
        Membership.objects.create(user=user, organisation=org, role=Role.CASEWORKER)
    admin = User.objects.filter(email="admin@bench.example").first() or User.objects.create_user(email="admin@bench.example", first_name="A", last_name="Admin")
    for role in (Role.ORG_ADMIN, Role.DPO):
        Membership.objects.get_or_create(user=admin, organisation=org, role=role, ended_at=None)
    for role in (Role.CASEWORKER, Role.SUPERVISOR):
        Membership.objects.get_or_create(user=admin, organisation=org, role=role, ended_at=None)
    from rete.cases.models import Case, CaseAssignment, Person

    have_cases = Case.objects.filter(organisation=org).count()
    if have_cases < CASES:
        now = timezone.now()
        people = Person.objects.bulk_create(
            [Person(organisation=org, given_name=f"P{i}", name_index=f"n{i}", phone_index=f"p{i}") for i in range(have_cases, CASES)]
        )
        cases = Case.objects.bulk_create(
            [Case(organisation=org, person=p, reference=f"BENCH-{i:07d}", contact_route="helpline", first_contact_at=now,
                  opened_by=admin, last_activity_at=now - timedelta(minutes=i)) for i, p in enumerate(people, start=have_cases)]
        )
        CaseAssignment.objects.bulk_create([CaseAssignment(case=c, user=admin) for c in cases[::10]])
        # Every fifth case has a support plan with one overdue and one coming service.
        from rete.cases.models import SupportService

        today = timezone.localdate()
        SupportService.objects.bulk_create(
            [SupportService(case=c, need="bench need", kind="legal", status="requested", due_on=today - timedelta(days=i % 30 + 1), created_by=admin)
             for i, c in enumerate(cases[::5])]
            + [SupportService(case=c, need="bench need", kind="housing", status="planned", due_on=today + timedelta(days=i % 7), created_by=admin)
               for i, c in enumerate(cases[::5])]
        )
    return org, admin


def busy_case(admin):
    """One case with a long history: 500 notes and 40 services."""
    from rete.cases import services
    from rete.cases.models import Case, CaseNote

    case = Case.objects.filter(reference="BENCH-0000000").first()
    if not CaseNote.objects.filter(case=case).exists():
        for i in range(500):
            services.note_add(by=admin, case=case, body=f"bench note {i}")
        for i in range(40):
            services.service_add(by=admin, case=case, need=f"need {i}", kind="other", due_on=timezone.localdate() + timedelta(days=i))
    return case


def main():
    from django.conf import settings

    settings.RETE_DEMO = True  # no second factor for the benchmark's own admin
    org, admin = build()
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    results = []

    def page(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(queries)

    outcome = {}
    seconds = timed(lambda: outcome.update(result=audit.verify()), repeat=1)
    verdict = outcome["result"]
    note = f"{verdict.events_checked} events, intact" if verdict.ok else f"NOT intact at {verdict.first_bad_seq}: {verdict.problem}"
    results.append(("verify the whole audit chain", seconds, note))
    results.append(("audit trail, first page", timed(lambda: page("/en/audit/")), f"{page('/en/audit/')} queries"))
    results.append(("audit trail, filtered by record", timed(lambda: page("/en/audit/?object_type=core.user&object_id=5")), ""))
    results.append(("member list, first page", timed(lambda: page(f"/en/org/{org.slug}/members/")), f"{page(f'/en/org/{org.slug}/members/')} queries, {MEMBERS} members"))
    results.append(("member search", timed(lambda: page(f"/en/org/{org.slug}/members/?q=04321")), ""))
    results.append(("caseload, my cases", timed(lambda: page("/en/cases/")), f"{page('/en/cases/')} queries, {CASES} cases"))
    results.append(("caseload, all she can open", timed(lambda: page("/en/cases/?scope=all")), ""))
    results.append(("caseload, supervision of the whole caseload", timed(lambda: page("/en/cases/?scope=team")), f"{page('/en/cases/?scope=team')} queries"))
    results.append(("caseload, my cases with overdue services", timed(lambda: page("/en/cases/?scope=mine&due=overdue")), f"{page('/en/cases/?scope=mine&due=overdue')} queries"))
    results.append(("start page (my cases, overdue, due, hearings)", timed(lambda: page("/en/start/")), f"{page('/en/start/')} queries"))
    case = busy_case(admin)
    results.append(("case page, 500 notes and 40 services", timed(lambda: page(f"/en/cases/{case.pk}/")), f"{page(f'/en/cases/{case.pk}/')} queries"))
    results.append(("duplicate check at intake (blind index)", timed(lambda: __import__("rete.cases.selectors", fromlist=["x"]).duplicate_candidates(user=admin, organisation=org, name_index="n12345", phone_index="p54321")), ""))
    results.append(("append one audit event", timed(lambda: transaction.atomic()(audit.record)(action="bench.append")), ""))
    out = Path(os.environ["RETE_VAR_DIR"]) / "report.md"
    lines = [f"# Rete benchmarks ({connection.vendor}, {timezone.now():%Y-%m-%d %H:%M})", "", "| what | median seconds | notes |", "|---|---|---|"]
    lines += [f"| {name} | {seconds:.4f} | {note} |" for name, seconds, note in results]
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nReport written to {out}")


if __name__ == "__main__":
    main()
