"""Settings for the test suite: fast hashing, plain static storage, in-memory media."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="cms-test-media-")
WHITENOISE_AUTOREFRESH = True
# The suite's pages go live without medical reviews; the tests of language releases
# (tests/test_releases*.py) set the production default back with override_settings.
RELEASE_REVIEW_REQUIRED_FOR = ()
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A PostgreSQL test database of this run's own, so two runs on one machine (a developer's and
# CI's) never drop each other's database ("database test_test is being accessed by other users").
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}  # noqa: F405
