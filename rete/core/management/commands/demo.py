from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rete.core.demo import load_demo_network


class Command(BaseCommand):
    help = "Load the demo network (the STEP4GBV partners with invented staff) and print the logins."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo network is never loaded into a production installation.")
        logins = load_demo_network()
        from rete.network.demo import load_demo_protocols

        # The Milan and Nicosia cooperation protocols, with the fictional agencies that are party to them.
        logins += load_demo_protocols()
        from rete.cases.demo import load_demo_cases

        cases = load_demo_cases()
        if cases:
            self.stdout.write(f"{cases} invented cases opened at the victim-support partners.")
        # Referrals and risk conferences (issue 5): they need the cases above, and add a case
        # worker at each fictional Milan agency.
        from rete.network.demo import load_demo_conferences, load_demo_referrals

        logins += load_demo_referrals()
        if load_demo_conferences():
            self.stdout.write("Referrals and the Milan and Nicosia risk conferences loaded.")
        # Perpetrator programmes (issue 6): CIPM and Demetra, their groups, men and partner contact.
        from rete.programmes.demo import load_demo_programmes

        logins += load_demo_programmes()
        self.stdout.write("Perpetrator programmes at CIPM and Demetra loaded.")
        # Mutual learning (issue 7): practices reviewed and piloted, the four STEP4GBV workshops, a webinar open.
        from rete.learning.demo import invitation_path, load_demo_learning

        logins += load_demo_learning()
        self.stdout.write("Mutual learning: practices, pilots, the STEP4GBV workshops and an open webinar "
                          f"(invitation link: http://127.0.0.1:8000{invitation_path()}).")
        from rete.portal import demo as portal_demo

        self.stdout.write(f"{portal_demo.load_demo_directory()} entries in the public service directory.")
        # Campaigns first (events and posters link to them), then events and materials, then the
        # reach counters again so that the downloads of those materials and events are counted.
        portal_demo.load_demo_pages()
        portal_demo.load_demo_campaigns()
        portal_demo.load_demo_events_and_materials()
        portal_demo.load_demo_reach()
        self.stdout.write("Public portal: information pages, campaigns, events, materials and reach figures.")
        self.stdout.write(self.style.SUCCESS("Demo network loaded. Sign in at http://127.0.0.1:8000/en/accounts/login/"))
        self.stdout.write(f"{'E-mail':42} {'Password':16} {'Organisation':15} Role")
        for email, password, role, org in logins:
            self.stdout.write(f"{email:42} {password:16} {org:15} {role}")
