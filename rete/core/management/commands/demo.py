from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rete.core.demo import load_demo_network


class Command(BaseCommand):
    help = "Load the demo network (the STEP4GBV partners with invented staff) and print the logins."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo network is never loaded into a production installation.")
        logins = load_demo_network()
        from rete.cases.demo import load_demo_cases

        cases = load_demo_cases()
        if cases:
            self.stdout.write(f"{cases} invented cases opened at the victim-support partners.")
        from rete.portal.demo import load_demo_directory

        self.stdout.write(f"{load_demo_directory()} entries in the public service directory.")
        self.stdout.write(self.style.SUCCESS("Demo network loaded. Sign in at http://127.0.0.1:8000/en/accounts/login/"))
        self.stdout.write(f"{'E-mail':42} {'Password':16} {'Organisation':15} Role")
        for email, password, role, org in logins:
            self.stdout.write(f"{email:42} {password:16} {org:15} {role}")
