"""Create the local admin account once: password from DJANGO_SUPERUSER_PASSWORD or random.

A random password is printed once, at creation; it is never a fixed default. The account
always has a first and last name, because Wagtail's account form requires both: without
them, saving any preference (the admin language included) fails.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser 'admin' if none exists "
        "(password from DJANGO_SUPERUSER_PASSWORD or random); give it a name if it has none."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        names = {
            "first_name": os.environ.get("DJANGO_SUPERUSER_FIRST_NAME", "Local"),
            "last_name": os.environ.get("DJANGO_SUPERUSER_LAST_NAME", "Admin"),
        }
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            # Accounts made by an earlier version of this command have no name.
            missing = [field for field in names if not getattr(existing, field)]
            for field in missing:
                setattr(existing, field, names[field])
            if missing:
                existing.save(update_fields=missing)
                self.stdout.write(f"Admin account '{username}' had no name; set it.")
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
            **names,
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
