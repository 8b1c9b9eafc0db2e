"""Production settings plus Wagtail's stock v2 API, for the benchmark only.

The stock API is the baseline a Wagtail user would otherwise deploy; it is
mounted at /stock-api/v2/ by ``bench.urls`` and never in the real URL map.
Static files are collected into the benchmark's own work directory, so the
static ceiling files it writes never land in the project's STATIC_ROOT.
"""

import os
from pathlib import Path

from cms.settings.production import *  # noqa: F403
from cms.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework", "wagtail.api.v2"]
ROOT_URLCONF = "bench.urls"
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", Path(__file__).parent / ".work" / "static"))
WHITENOISE_AUTOREFRESH = False
