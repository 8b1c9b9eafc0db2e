"""Point the default Site at the address the site is served at (``make run`` does it).

Every absolute URL (canonical, hreflang, the sitemap, robots.txt, the API's ``url``,
JSON-LD) is built from this Site's hostname and port.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port (e.g. 127.0.0.1 8000)."

    def add_arguments(self, parser):
        parser.add_argument("hostname", help="Host name or IP address, without scheme or port.")
        parser.add_argument("port", type=int, help="Port: 80 gives http://host/, 443 https://.")

    def handle(self, *args, hostname, port, **options):
        hostname = hostname.strip().lower()
        bracketed = hostname.startswith("[")  # an IPv6 address keeps its colons
        if (
            not hostname
            or "/" in hostname
            or " " in hostname
            or (":" in hostname and not bracketed)
        ):
            raise CommandError(f"'{hostname}' is not a host name: give it without scheme or port.")
        if not 0 < port < 65536:
            raise CommandError(f"{port} is not a port number (1–65535).")
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default site: run `manage.py load_demo_content` first.")
        site.hostname, site.port = hostname, port
        try:
            site.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        site.save()  # Site's save clears Wagtail's cached root paths and bumps the content version
        self.stdout.write(f"The site's address is now {site.root_url}/")
