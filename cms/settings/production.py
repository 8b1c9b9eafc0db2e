"""Production: every secret and host comes from the environment, and missing ones stop the start."""

import os

from django.core.exceptions import ImproperlyConfigured

for required in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"{required} must be set in the environment for production.")

from .base import *  # noqa: E402,F403
from .base import env_bool  # noqa: E402

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# cms.wsgi refuses to start while the default Site is still http://localhost/ (cms.checks).
REFUSE_PLACEHOLDER_SITE = True

# The content cache (cms.middleware) and the reference data each process keeps (cms.reference)
# learn of a publish through the shared cache. Without REDIS_URL each worker has a cache of its
# own and would not hear of a publish, or of a page made private, in another worker: both are off.
if not REDIS_URL:  # noqa: F405
    PAGE_CACHE_SECONDS = API_CACHE_SECONDS = 0
    CMS_REFERENCE_PER_PROCESS = False
