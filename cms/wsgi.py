"""WSGI entry point; production serving uses granian (or gunicorn) with cms.settings.production.

Content-cache hits (public pages and API reads for anonymous readers) are answered
by ``ContentCacheApp`` before Django handles the request; see ``cms.middleware``.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

django_application = get_wsgi_application()

from cms.middleware import ContentCacheApp  # noqa: E402  (needs the settings loaded)

application = ContentCacheApp(django_application)
