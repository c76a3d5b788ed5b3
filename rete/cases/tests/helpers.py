from django.utils import timezone

from rete.cases import services


def open_case(user, organisation, **person):
    values = {"is_anonymous": False, "given_name": "Maria", "family_name": "Example", "birth_year": 1990, "phone": "",
              "safe_to_contact": "unknown"}
    values.update(person)
    return services.intake_open_case(by=user, organisation=organisation, contact_route="helpline",
                                     first_contact_at=timezone.now(), person=values)
