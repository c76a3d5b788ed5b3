from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from rete.cases import selectors, services
from rete.cases.forms import CaseFilterForm, IntakeForm
from rete.core import access


def caseload(request):
    if not selectors.case_organisations(user=request.user):
        access.deny()
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    scope = request.GET.get("scope", "mine")
    cases = selectors.case_list(user=request.user, mine_only=scope != "all", status=filters.get("status", ""), query=filters.get("q", ""))
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = {k: v for k, v in {"scope": scope, **{k: v for k, v in filters.items() if v}}.items() if v}
    return render(request, "cases/caseload.html", {"form": form, "page": page, "scope": scope, "querystring": urlencode(query)})


@require_http_methods(["GET", "POST"])
def intake(request):
    organisations = selectors.case_organisations(user=request.user)
    if not organisations:
        access.deny()
    form = IntakeForm(request.POST or None, organisations=organisations)
    duplicates = []
    if request.method == "POST":
        if form.is_valid():
            organisation = form.chosen_organisation()
            person = form.person_data()
            indexes = services.person_indexes(given_name=person["given_name"], family_name=person["family_name"],
                                              birth_year=person["birth_year"] or (int(person["date_of_birth"][:4]) if person["date_of_birth"] else None),
                                              phone=person["phone"])
            duplicates = selectors.duplicate_candidates(user=request.user, organisation=organisation,
                                                        name_index=indexes.name_index, phone_index=indexes.phone_index)
            if not duplicates or form.cleaned_data["confirm_new"]:
                case = services.intake_open_case(by=request.user, organisation=organisation,
                                                 contact_route=form.cleaned_data["contact_route"],
                                                 first_contact_at=form.cleaned_data["first_contact_at"], person=person)
                return redirect("cases:case_detail", pk=case.pk)
        status = 400 if form.errors else 200
    else:
        status = 200
    return render(request, "cases/intake.html", {"form": form, "duplicates": duplicates}, status=status)


def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    services.case_record_view(by=request.user, case=case)
    return render(request, "cases/case_detail.html", {"case": case, "person": case.person, "team": selectors.case_team(case=case)})
