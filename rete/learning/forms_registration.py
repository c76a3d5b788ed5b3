"""Forms of registration and attendance (part "registration"). The services check everything
again; the forms give labels, types and the participant's entries back after an error."""
from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rete.core.models import OrganisationKind
from rete.learning.models import AttendanceStatus, Registration, SessionAttendance

FUNDERS_NOTE = _("Asked for the funders' report, which counts participants by profession and sex and names nobody.")


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def _choices(model, name):
    return [("", "—"), *model._meta.get_field(name).choices]


class ProfileForm(forms.Form):
    """What a participant tells about herself: her organisation, her country and profession,
    sex (both for the funders' report) and the language of her e-mails and certificate."""

    organisation_name = forms.CharField(label=_label(Registration, "organisation_name"), max_length=200)
    organisation_kind = forms.ChoiceField(label=_label(Registration, "organisation_kind"),
                                          choices=[("", "—"), *OrganisationKind.choices])
    country = forms.ChoiceField(label=_label(Registration, "country"), choices=_choices(Registration, "country"))
    profession = forms.ChoiceField(label=_label(Registration, "profession"), choices=_choices(Registration, "profession"),
                                   help_text=FUNDERS_NOTE)
    sex = forms.ChoiceField(label=_label(Registration, "sex"), choices=_choices(Registration, "sex"), help_text=FUNDERS_NOTE)
    language = forms.ChoiceField(label=_label(Registration, "language"), choices=settings.LANGUAGES)

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("organisation_name", "organisation_kind", "country", "profession",
                                                           "sex", "language")}

    @staticmethod
    def initial_for_member(user, memberships) -> dict:
        """Her organisation (the first she belongs to), its kind and country, her language."""
        initial = {"language": getattr(user, "language", "") or settings.LANGUAGE_CODE}
        if memberships:
            organisation = memberships[0].organisation
            initial.update(organisation_name=organisation.name, country=organisation.country)
            if organisation.kinds:
                initial["organisation_kind"] = organisation.kinds[0]
        return initial


class OutsideRegistrationForm(ProfileForm):
    full_name = forms.CharField(label=_label(Registration, "full_name"), max_length=200)
    email = forms.EmailField(label=_label(Registration, "email"), max_length=254,
                             help_text=_("Your personal link to the registration is sent to this address."))

    field_order = ["full_name", "email", "organisation_name", "organisation_kind", "country", "profession", "sex",
                   "language"]

    def profile(self) -> dict:
        return {**super().profile(), "full_name": self.cleaned_data["full_name"], "email": self.cleaned_data["email"]}


class AttendanceForm(forms.Form):
    """One choice per registered participant, named "r<registration id>"; a participant left
    without a choice keeps what was recorded (or stays not recorded)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            registration, saved = row["registration"], row["attendance"]
            name = f"r{registration.pk}"
            self.fields[name] = forms.ChoiceField(label=_label(SessionAttendance, "status"), required=False,
                                                  choices=AttendanceStatus.choices, widget=forms.RadioSelect)
            if saved is not None:
                self.initial.setdefault(name, saved.status)

    def statuses(self) -> dict:
        return {row["registration"].pk: self.cleaned_data.get(f"r{row['registration'].pk}") or "" for row in self.rows}

    def bound_rows(self) -> list[dict]:
        return [{**row, "field": self[f"r{row['registration'].pk}"]} for row in self.rows]
