"""Tokens for service accounts: `rete api-token create EMAIL`, `list [EMAIL]`, `revoke EMAIL`.
Managed here (and audited) rather than in the Django admin."""
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from knox.models import AuthToken

from rete.core import audit
from rete.core.models import User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens of service accounts (a token is printed once; only its digest is stored)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("email")
        create.add_argument("--days", type=int, default=365)
        listing = sub.add_parser("list")
        listing.add_argument("email", nargs="?")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("email")

    def _account(self, email):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the address {email}.")
        if not user.is_service_account:
            raise CommandError("API tokens are for service accounts; people sign in to the pages.")
        return user

    def handle(self, *args, action, **options):
        if action == "create":
            user = self._account(options["email"])
            with transaction.atomic():
                _, token = AuthToken.objects.create(user=user, expiry=timedelta(days=options["days"]))
                audit.record(action="api.token_created", obj=user, detail={"days": options["days"]})
            self.stdout.write(token)
        elif action == "list":
            tokens = AuthToken.objects.select_related("user").order_by("user__email", "created")
            if options.get("email"):
                tokens = tokens.filter(user=self._account(options["email"]))
            for token in tokens:
                self.stdout.write(f"{token.user.email}\t{token.token_key}…\tcreated {token.created:%Y-%m-%d}\texpires {token.expiry:%Y-%m-%d}" if token.expiry else f"{token.user.email}\t{token.token_key}…\tcreated {token.created:%Y-%m-%d}\tnever expires")
        else:
            user = self._account(options["email"])
            with transaction.atomic():
                count, _ = AuthToken.objects.filter(user=user).delete()
                audit.record(action="api.tokens_revoked", obj=user, detail={"count": count})
            self.stdout.write(f"{count} token(s) revoked.")
