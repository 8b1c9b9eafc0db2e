"""Local development: DEBUG on, SQLite unless DATABASE_URL says otherwise."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Serve static files from the finders in development without collectstatic.
WHITENOISE_USE_FINDERS = True
