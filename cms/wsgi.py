"""WSGI entry point; production serving uses granian (or gunicorn) with cms.settings.production.

Content-cache hits (public pages and API reads for anonymous readers) are answered
by ``ContentCacheApp`` before Django handles the request; see ``cms.middleware``.
Production settings refuse to start while the default Site has Wagtail's
placeholder address (``cms.checks``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402

from cms.checks import refuse_placeholder_site  # noqa: E402  (needs the apps loaded)
from cms.middleware import ContentCacheApp  # noqa: E402  (needs the settings loaded)

if settings.REFUSE_PLACEHOLDER_SITE:
    # Production does not serve links to http://localhost/ (cms.checks).
    refuse_placeholder_site()
    connections.close_all()  # requests open their own; this thread's would only idle

application = ContentCacheApp(django_application)
