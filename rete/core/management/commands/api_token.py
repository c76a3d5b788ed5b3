from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from rete.core import audit
from rete.core.models import User


class Command(BaseCommand):
    help = "Create an API token for a service account (printed once; only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, email, days, **options):
        from datetime import timedelta

        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the address {email}.")
        if not user.is_service_account:
            raise CommandError("API tokens are for service accounts; people sign in to the pages.")
        _, token = AuthToken.objects.create(user=user, expiry=timedelta(days=days))
        audit.record(action="api.token_created", obj=user, detail={"days": days})
        self.stdout.write(token)
