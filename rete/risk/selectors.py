"""Every read of the risk app: the only place that decides who sees which assessment."""


# ---- history, start pages, caseloads, the network view, the instruments page (reads) ---------
# (risk history and due work: see also rete/risk/chart.py and rete/risk/tasks.py)

HISTORY_LIMIT = 500  # assessments shown on a subject's history; older ones are counted, not listed
DUE_SOON_DAYS = 7  # the start page shows what falls due within this many days
DUE_PANEL_ROWS = 10
# Who sees the instruments page: case roles, organisation admins and network coordinators.
INSTRUMENT_READERS = frozenset({"caseworker", "supervisor", "police_officer", "org_admin", "network_coordinator"})
INSTRUMENT_LOADERS = frozenset({"org_admin"})
NETWORK_VIEWERS = frozenset({"network_coordinator"})


def _text(mapping, language, definition=None) -> str:
    """A text of an instrument definition in `language` (instruments.text: else the file's first
    language)."""
    from rete.risk.instruments import text

    return str(text(mapping, language, definition=definition) or "") if isinstance(mapping, (dict, str)) else ""


def _language(language=None) -> str:
    from django.utils import translation

    return (language or translation.get_language() or "en").split("-")[0]


def describe_definition(definition, *, language=None) -> dict:
    """What pages show of an instrument definition, in one language: title, licence, and the
    bands in order (rank = position, 0 the lowest), each with its label and its actions' texts."""
    language = _language(language)
    definition = definition if isinstance(definition, dict) else {}
    bands = []
    for rank, band in enumerate(definition.get("bands") or []):
        if not isinstance(band, dict):
            continue
        actions = {a.get("code"): _text(a.get("text"), language, definition) for a in band.get("actions") or [] if isinstance(a, dict)}
        bands.append({"code": band.get("code", ""), "label": _text(band.get("label"), language, definition) or band.get("code", ""),
                      "rank": rank, "actions": actions})
    items = sum(len(s.get("items") or []) for s in definition.get("sections") or [] if isinstance(s, dict))
    return {"code": definition.get("code", ""), "title": _text(definition.get("title"), language, definition) or definition.get("code", ""),
            "licence": definition.get("licence", "") if isinstance(definition.get("licence", ""), str) else "",
            "bands": bands, "band_by_code": {b["code"]: b for b in bands}, "items_count": items,
            "scoring": (definition.get("scoring") or {}).get("kind", "") if isinstance(definition.get("scoring"), dict) else ""}


def instruments_described(instrument_ids, *, language=None) -> dict:
    """{instrument id: describe_definition(...)} for the given ids, in one query (none when empty)."""
    from rete.risk.models import Instrument

    ids = {i for i in instrument_ids if i}
    if not ids:
        return {}
    return {pk: describe_definition(definition, language=language)
            for pk, definition in Instrument.objects.filter(pk__in=ids).values_list("pk", "definition")}


def band_label(described, instrument_id, code) -> str:
    info = described.get(instrument_id)
    band = info["band_by_code"].get(code) if info else None
    return band["label"] if band else code


# ---- a subject's history ----


def subject_history(*, user, subject_type_code, subject_id, limit=HISTORY_LIMIT) -> dict:
    """Every assessment of a subject she may see (the owning app decides; 404 otherwise), oldest
    first, each with its instrument's title and band labels and the corrections linked both
    ways; and the bands of the current instrument (the one of the latest signed assessment).
    Three queries whatever the history's length (the subject, the assessments, the
    definitions of the instruments used), plus the owning app's visibility check."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    from rete.risk.models import AssessmentStatus, RiskAssessment
    from rete.risk.subjects import subject_get

    subject = subject_get(user=user, subject_type_code=subject_type_code, pk=subject_id)
    rows = (RiskAssessment.objects.filter(subject_type=subject_type_code, subject_id=subject.pk)
            .select_related("instrument", "signed_by", "started_by")
            .defer("instrument__definition", "answers", "item_notes", "override_reason", "rationale")
            .annotate(at=Coalesce(F("signed_at"), F("started_at")))
            .order_by("-at", "-pk"))
    assessments = list(rows[:limit + 1])
    truncated = len(assessments) > limit
    assessments = assessments[:limit]
    assessments.reverse()
    described = instruments_described({a.instrument_id for a in assessments})
    by_pk = {a.pk: a for a in assessments}
    for a in assessments:
        a.corrections_listed = []
    for a in assessments:
        info = described.get(a.instrument_id) or describe_definition({})
        a.instrument_title = info["title"] or a.instrument.code
        a.computed_label = band_label(described, a.instrument_id, a.computed_band) if a.computed_band else ""
        a.override_label = band_label(described, a.instrument_id, a.override_band) if a.override_band else ""
        a.band_label = band_label(described, a.instrument_id, a.band) if a.band else ""
        a.is_signed = a.status == AssessmentStatus.SIGNED
        a.corrects_row = by_pk.get(a.corrects_id)
        if a.corrects_row is not None:
            a.corrects_row.corrections_listed.append(a)
    signed = [a for a in assessments if a.is_signed]
    current = signed[-1] if signed else None
    current_info = described.get(current.instrument_id) if current else None
    return {"subject": subject, "subject_type": subject_type_code, "assessments": assessments, "signed": signed,
            "current": current, "current_bands": current_info["bands"] if current_info else [],
            "current_code": current.instrument.code if current else "", "truncated": truncated, "limit": limit}


# ---- start pages: due reassessments and actions on the subjects she works on ----


def _watched_subjects(user):
    """One filter on (subject_type, subject_id) for the subjects whose due work she sees (each
    owning app's own rule, as subqueries); None when she works on none."""
    from django.db.models import Q

    from rete.risk.subjects import subject_types

    condition = None
    for kind in subject_types():
        if kind.visible_ids is None:
            continue
        ids = kind.visible_ids(user)
        if ids is None:
            continue
        term = Q(subject_type=kind.code, subject_id__in=ids)
        condition = term if condition is None else condition | term
    return condition


def risk_due_summary(*, user, now=None, limit=DUE_PANEL_ROWS) -> dict | None:
    """For her start page: reassessments overdue and due within DUE_SOON_DAYS, open risk actions
    overdue and due within DUE_SOON_DAYS, on the subjects she works on; each list cut at `limit`,
    with totals. References only, never names. At most seven queries whatever the caseload;
    None (no panel) when she works on no subject."""
    import datetime

    from django.db.models import Count, F, Q
    from django.utils import timezone

    from rete.risk.models import ActionStatus, RiskAction, RiskStatus
    from rete.risk.subjects import subject_url

    watched = _watched_subjects(user)
    if watched is None:
        return None
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=DUE_SOON_DAYS)
    statuses = RiskStatus.objects.filter(watched, next_due_at__isnull=False, next_due_at__lte=horizon)
    actions = RiskAction.objects.filter(watched, status=ActionStatus.OPEN, due_at__lte=horizon)
    status_totals = statuses.aggregate(overdue=Count("pk", filter=Q(next_due_at__lt=now)), soon=Count("pk", filter=Q(next_due_at__gte=now)))
    action_totals = actions.aggregate(overdue=Count("pk", filter=Q(due_at__lt=now)), soon=Count("pk", filter=Q(due_at__gte=now)))

    def listed(queryset, field, overdue):
        window = {f"{field}__lt": now} if overdue else {f"{field}__gte": now}
        return list(queryset.filter(**window).annotate(instrument_id=F("assessment__instrument_id")).order_by(field, "pk")[:limit])

    lists = {
        "reassessments_overdue": listed(statuses, "next_due_at", True) if status_totals["overdue"] else [],
        "reassessments_soon": listed(statuses, "next_due_at", False) if status_totals["soon"] else [],
        "actions_overdue": listed(actions.defer("note"), "due_at", True) if action_totals["overdue"] else [],
        "actions_soon": listed(actions.defer("note"), "due_at", False) if action_totals["soon"] else [],
    }
    described = instruments_described({row.instrument_id for rows in lists.values() for row in rows})
    for key, rows in lists.items():
        for row in rows:
            row.url = subject_url(row.subject_type, row.subject_id)
            if key.startswith("reassessments"):
                row.band_label = band_label(described, row.instrument_id, row.band) if row.band else ""
            else:
                info = described.get(row.instrument_id)
                row.text = _action_text(info, row.code)
    return {**lists, "reassessments_overdue_total": status_totals["overdue"], "reassessments_soon_total": status_totals["soon"],
            "actions_overdue_total": action_totals["overdue"], "actions_soon_total": action_totals["soon"],
            "now": now, "soon_days": DUE_SOON_DAYS}


def _action_text(info, code) -> str:
    if info:
        for band in info["bands"]:
            if code in band["actions"]:
                return band["actions"][code] or code
    return code


def action_text(*, instrument, code, language=None) -> str:
    """The wording of a mandated action (from the instrument's definition) in a language."""
    return _action_text(describe_definition(instrument.definition, language=language), code)


# ---- caseloads: the subject's current band as columns and filters -----------------------------

RISK_FILTERS = ("top", "assessed", "none", "overdue")


def subject_risk_annotations(subject_type_code, *, ref="pk") -> dict:
    """Expressions for annotate() on the owning app's queryset: the subject's current band code,
    rank, whether it is the top band, the instrument, and when reassessment is due (one
    correlated subquery each, no query per row)."""
    from django.db.models import OuterRef, Subquery

    from rete.risk.models import RiskStatus

    status = RiskStatus.objects.filter(subject_type=subject_type_code, subject_id=OuterRef(ref))
    return {
        "risk_band": Subquery(status.values("band")[:1]),
        "risk_band_top": Subquery(status.values("band_is_top")[:1]),
        "risk_instrument_id": Subquery(status.values("assessment__instrument_id")[:1]),
        "risk_next_due_at": Subquery(status.values("next_due_at")[:1]),
    }


def subject_risk_filter(kind, subject_type_code, *, ref="pk", now=None):
    """A filter for the owning app's queryset: "top" (the top band of its instrument),
    "assessed" (any band), "none" (no band yet), "overdue" (reassessment past due); "" nothing."""
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from rete.risk.models import RiskStatus

    if not kind:
        return Q()
    if kind not in RISK_FILTERS:
        raise ValueError(f"unknown risk filter {kind!r}")
    status = RiskStatus.objects.filter(subject_type=subject_type_code, subject_id=OuterRef(ref))
    if kind == "top":
        return Q(Exists(status.filter(band_is_top=True).exclude(band="")))
    if kind == "assessed":
        return Q(Exists(status.exclude(band="")))
    if kind == "none":
        return ~Q(Exists(status.exclude(band="")))
    return Q(Exists(status.filter(next_due_at__lt=now or timezone.now())))


def attach_band_labels(rows, *, language=None, now=None) -> list:
    """Give rows annotated with subject_risk_annotations a `risk_band_label` and
    `risk_overdue` (one query for the instruments of the whole page)."""
    from django.utils import timezone

    rows = list(rows)
    described = instruments_described({getattr(r, "risk_instrument_id", None) for r in rows}, language=language)
    now = now or timezone.now()
    for row in rows:
        code = getattr(row, "risk_band", None) or ""
        row.risk_band_label = band_label(described, row.risk_instrument_id, code) if code else ""
        due = getattr(row, "risk_next_due_at", None)
        row.risk_overdue = bool(due and due < now)
    return rows


# ---- the network view: counts per organisation and band, no personal data ---------------------


def may_see_network(*, user) -> bool:
    from rete.core.selectors import active_memberships

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or any(m.role in NETWORK_VIEWERS for m in active_memberships(user=user)))


def network_overview(*, user, now=None) -> list[dict]:
    """Per organisation and per band (of each instrument): how many subjects are in that band
    now, how many of them are overdue for reassessment, and how many open actions mandated by
    a band of that name are past due. Network coordinators and platform administrators only
    (404 otherwise). Counts only: no reference, no name. Three queries: two GROUP BYs and the
    definitions of the instruments named."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from rete.core import access
    from rete.risk.models import ActionStatus, Instrument, RiskAction, RiskStatus

    if not may_see_network(user=user):
        access.deny()
    from rete.risk.subjects import active_subjects_filter

    now = now or timezone.now()
    # Closed cases are no one's risk work any more: the counts are of subjects still open.
    active = active_subjects_filter()
    statuses = (RiskStatus.objects.filter(active).exclude(band="").values("organisation_id", "organisation__name", "assessment__instrument__code", "band")
                .annotate(subjects=Count("pk"), overdue=Count("pk", filter=Q(next_due_at__lt=now))).order_by())
    actions = (RiskAction.objects.filter(active, status=ActionStatus.OPEN, due_at__lt=now)
               .values("organisation_id", "organisation__name", "assessment__instrument__code", "assessment__band")
               .annotate(n=Count("pk")).order_by())
    table = {}
    for row in statuses:
        key = (row["organisation_id"], row["assessment__instrument__code"] or "", row["band"])
        table[key] = {"organisation": row["organisation__name"], "subjects": row["subjects"], "overdue": row["overdue"], "actions_overdue": 0}
    for row in actions:
        key = (row["organisation_id"], row["assessment__instrument__code"] or "", row["assessment__band"])
        entry = table.setdefault(key, {"organisation": row["organisation__name"], "subjects": 0, "overdue": 0, "actions_overdue": 0})
        entry["actions_overdue"] += row["n"]
    codes = {key[1] for key in table if key[1]}
    latest = {}
    for code, definition in Instrument.objects.filter(code__in=codes).order_by("code", "-version").values_list("code", "definition"):
        latest.setdefault(code, describe_definition(definition))
    organisations = {}
    for (org_id, code, band), entry in table.items():
        info = latest.get(code)
        known = info["band_by_code"].get(band) if info else None
        org = organisations.setdefault(org_id, {"name": entry["organisation"], "rows": []})
        org["rows"].append({"instrument_code": code, "instrument_title": info["title"] if info else code, "band": band,
                            "label": known["label"] if known else band, "rank": known["rank"] if known else 999,
                            "subjects": entry["subjects"], "overdue": entry["overdue"], "actions_overdue": entry["actions_overdue"]})
    result = sorted(organisations.values(), key=lambda o: o["name"].casefold())
    for org in result:
        org["rows"].sort(key=lambda r: (r["instrument_code"], -r["rank"], r["band"]))
        org["subjects"] = sum(r["subjects"] for r in org["rows"])
        org["overdue"] = sum(r["overdue"] for r in org["rows"])
        org["actions_overdue"] = sum(r["actions_overdue"] for r in org["rows"])
    return result


# ---- the instruments page ----


def instrument_organisations(*, user, roles=INSTRUMENT_READERS) -> list:
    """Her organisations where she holds one of `roles`."""
    from rete.core.selectors import active_memberships

    seen = {}
    for membership in active_memberships(user=user):
        if membership.role in roles:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def instruments_for_page(*, user) -> list[dict]:
    """For the instruments page: of the instruments she may read (instrument_list), the newest
    version of each code unless it is retired (as instruments_available), with its title, bands
    and counts in her language. One query; 404 as instrument_list."""
    listed, seen = [], set()
    for instrument in instrument_list(user=user):
        if instrument.code in seen:
            continue
        seen.add(instrument.code)
        if instrument.retired_at is not None:
            continue
        info = describe_definition(instrument.definition)
        listed.append({"instrument": instrument, "title": info["title"], "licence": info["licence"], "items_count": info["items_count"],
                       "bands_count": len(info["bands"]), "bands": info["bands"], "scoring": info["scoring"]})
    return listed


SECTION_ACTIONS = 20  # open actions listed on a subject's page (the soonest due first)
SECTION_DRAFTS = 10  # drafts in progress listed on a subject's page


def assessment_instruments(*, subject_type, subject) -> list:
    """The instruments a new assessment of this subject may use: available to the subject's
    organisation and assessing what this kind of subject is assessed on (newest versions)."""
    from rete.risk.subjects import subject_type as subject_type_of

    return instruments_available(organisation=subject.organisation, assesses=list(subject_type_of(subject_type).assesses))


def assessment_get(*, user, assessment_id, lock=False):
    """One assessment, if she may see its subject (checked now, through the owning app), else
    404. `.subject` is the subject; `.definition` its instrument's definition."""
    from rete.core import access
    from rete.risk.models import RiskAssessment
    from rete.risk.subjects import subject_get

    try:
        assessment_id = int(assessment_id)
    except (TypeError, ValueError):
        access.deny()
    rows = RiskAssessment.objects.select_related("instrument", "started_by", "signed_by")
    if lock:
        rows = rows.select_for_update(of=("self",))
    assessment = rows.filter(pk=assessment_id).first()
    if assessment is None:
        access.deny()
    subject = subject_get(user=user, subject_type_code=assessment.subject_type, pk=assessment.subject_id)
    if subject.organisation.pk != assessment.organisation_id:
        access.deny()
    assessment.subject = subject
    assessment.definition = assessment.instrument.definition
    return assessment


def assessment_actions(*, assessment) -> list:
    """The actions an assessment fetched with assessment_get mandated, soonest due first."""
    from rete.risk.models import RiskAction

    return list(RiskAction.objects.filter(assessment_id=assessment.pk).select_related("completed_by").order_by("due_at", "pk"))


def assessment_corrections(*, assessment) -> list:
    """The assessments that correct this one (fetched with assessment_get)."""
    from rete.risk.models import RiskAssessment

    return list(RiskAssessment.objects.filter(corrects_id=assessment.pk).only("pk", "status", "signed_at", "started_at", "corrects_id")
                .order_by("pk"))


def action_get(*, user, action_id, lock=False):
    """One mandated action, if she may see its subject (404 otherwise)."""
    from rete.core import access
    from rete.risk.models import RiskAction
    from rete.risk.subjects import subject_get

    try:
        action_id = int(action_id)
    except (TypeError, ValueError):
        access.deny()
    rows = RiskAction.objects.select_related("organisation")
    if lock:
        rows = rows.select_for_update(of=("self",))
    action = rows.filter(pk=action_id).first()
    if action is None:
        access.deny()
    subject = subject_get(user=user, subject_type_code=action.subject_type, pk=action.subject_id)
    if subject.organisation.pk != action.organisation_id:
        access.deny()
    action.subject = subject
    return action


def subject_risk(*, user, subject_type, subject_id, subject=None, now=None) -> dict:
    """A subject's risk for its page: the assessment in force (band, computed band if raised,
    score, when, next reassessment and whether it is overdue), the open actions of every
    assessment (soonest due first, at most SECTION_ACTIONS) and the drafts in progress (at
    most SECTION_DRAFTS). `subject`: the subject already fetched for this user through the
    owning app (e.g. the case on the case page); otherwise it is fetched here (404 if out of
    reach). Four queries whatever the history (status, actions, drafts, definitions)."""
    from django.utils import timezone

    from rete.risk.models import ActionStatus, AssessmentStatus, RiskAction, RiskAssessment, RiskStatus
    from rete.risk.subjects import subject_get

    if subject is None:
        subject = subject_get(user=user, subject_type_code=subject_type, pk=subject_id)
    now = now or timezone.now()
    status = (RiskStatus.objects.filter(subject_type=subject_type, subject_id=subject.pk)
              .select_related("assessment", "assessment__signed_by").defer("assessment__answers", "assessment__item_notes")
              .first())
    actions = list(RiskAction.objects.filter(subject_type=subject_type, subject_id=subject.pk, status=ActionStatus.OPEN)
                   .select_related("assessment").defer("note", "assessment__answers", "assessment__item_notes",
                                                       "assessment__override_reason", "assessment__rationale")
                   .order_by("due_at", "pk")[:SECTION_ACTIONS + 1])
    drafts = list(RiskAssessment.objects.filter(subject_type=subject_type, subject_id=subject.pk, status=AssessmentStatus.DRAFT)
                  .select_related("started_by").defer("answers", "item_notes", "override_reason", "rationale")
                  .order_by("-started_at", "-pk")[:SECTION_DRAFTS])
    current = status.assessment if status is not None else None
    ids = {a.assessment.instrument_id for a in actions} | {d.instrument_id for d in drafts}
    if current is not None:
        ids.add(current.instrument_id)
    described = instruments_described(ids)
    for action in actions:
        action.text = _action_text(described.get(action.assessment.instrument_id), action.code)
        action.overdue = action.due_at < now
    for draft in drafts:
        info = described.get(draft.instrument_id)
        draft.instrument_title = info["title"] if info else ""
    info = described.get(current.instrument_id) if current is not None else None
    return {
        "risk_status": status,
        "risk_current": current,
        "risk_band_label": band_label(described, current.instrument_id, current.band) if current is not None else "",
        "risk_computed_label": (band_label(described, current.instrument_id, current.computed_band)
                                if current is not None and current.override_band else ""),
        "risk_instrument_title": info["title"] if info else "",
        "risk_overdue": bool(status is not None and status.next_due_at and status.next_due_at < now),
        "risk_actions": actions[:SECTION_ACTIONS],
        "risk_actions_more": len(actions) > SECTION_ACTIONS,
        "risk_drafts": drafts,
        "risk_now": now,
    }


# ---- instruments: which ones an organisation may use, which ones a person may read ----


def instruments_available(*, organisation, assesses=None) -> list:
    """The instruments `organisation` may start a new assessment with: for each code that is
    Rete's own (shipped, no organisation) or the organisation's own, its newest version, unless
    that version is retired (retiring the newest version retires the instrument; an older version
    never comes back by itself). `assesses`: "victim" or "perpetrator" (or several, as a list) to
    keep only those. Ordered by code. One query; the number of rows is the number of instrument
    versions, not of assessments."""
    from django.db.models import Q

    from rete.risk.models import Instrument

    scope = Q(organisation__isnull=True)
    if organisation is not None:
        scope |= Q(organisation=organisation)
    rows = Instrument.objects.filter(scope).order_by("code", "-version")
    if assesses:
        rows = rows.filter(assesses__in=[assesses] if isinstance(assesses, str) else list(assesses))
    newest, seen = [], set()
    for instrument in rows:
        if instrument.code in seen:
            continue
        seen.add(instrument.code)
        if instrument.retired_at is None:
            newest.append(instrument)
    return newest


def instrument_list(*, user) -> list:
    """Every version of the instruments she may read (retired ones too, newest version first
    within a code): Rete's own and those of her organisations where she holds a reading role
    (INSTRUMENT_READERS); a platform administrator reads them all. 404 for anyone else."""
    from django.db.models import Q

    from rete.core import access
    from rete.risk.models import Instrument

    rows = Instrument.objects.select_related("organisation", "loaded_by").order_by("code", "-version")
    if getattr(user, "is_superuser", False):
        return list(rows)
    organisations = instrument_organisations(user=user)
    if not organisations:
        access.deny()
    return list(rows.filter(Q(organisation__isnull=True) | Q(organisation__in=[o.pk for o in organisations])))


def subject_band_in_force(*, subject_type, subject_id) -> dict | None:
    """The band in force of a subject and whether it is high enough for a risk conference: the
    instrument's top band, or a band whose mandated actions include a referral to one. For the
    conference referral of rete.network, which has checked access to the subject. Two queries."""
    from rete.risk.models import RiskAction, RiskStatus

    status = (RiskStatus.objects.filter(subject_type=subject_type, subject_id=subject_id).select_related("assessment")
              .only("band", "band_is_top", "assessment__instrument_id", "assessment__id").first())
    if status is None or status.assessment_id is None or not status.band:
        return None
    described = instruments_described({status.assessment.instrument_id})
    conference = RiskAction.objects.filter(assessment_id=status.assessment_id, agency="risk_conference").exists()
    return {"band": status.band, "label": str(band_label(described, status.assessment.instrument_id, status.band)),
            "high": bool(status.band_is_top or conference)}


def open_conference_actions(*, subject_type, subject_id) -> list[int]:
    """The open mandated actions that ask for a referral to a risk conference."""
    from rete.risk.models import ActionStatus, RiskAction

    return list(RiskAction.objects.filter(subject_type=subject_type, subject_id=subject_id, agency="risk_conference",
                                          status=ActionStatus.OPEN).values_list("pk", flat=True))
