"""Create the local admin account once: password from DJANGO_SUPERUSER_PASSWORD or random.

A random password is printed once, at creation; it is never a fixed default.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser 'admin' if none exists "
        "(password from DJANGO_SUPERUSER_PASSWORD or random)."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin account '{username}' already exists; password unchanged.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username,
            email=os.environ.get("DJANGO_SUPERUSER_EMAIL", "admin@localhost"),
            password=password,
        )
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Created admin '{username}' with password: {password}\n"
                    "It is shown only this once; set DJANGO_SUPERUSER_PASSWORD to choose your own."
                )
            )
        else:
            self.stdout.write(
                f"Created admin '{username}' with the password from DJANGO_SUPERUSER_PASSWORD."
            )
