"""Settings shared by every environment.

Everything deploy-specific is read from the environment here, once, with safe
development defaults; ``production.py`` refuses to start without the values that
have no safe default.
"""

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # wagtail_modeltranslation must come before wagtail so its patches apply;
    # its .migrate app replaces `migrate` so Page translation columns are synced.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    # Before the apps that react to a publish: its gate decides which languages went live
    # before their page_published receivers run (releases.apps).
    "releases",
    "editorial",
    "revisions",
    "workspace",
    "home",
    "therapies",
    "cms.api",
    "contentsearch",
    "webhooks",
    "readmodel",
    "ninja",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "corsheaders",
    "csp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    # Last: replaces handlers that the apps above connect in their ready() (cms.apps).
    "cms",
]

MIDDLEWARE = [
    # gzip above the content cache: the cache stores uncompressed responses (its key holds no
    # Accept-Encoding) and each request gets the encoding it asks for (cms.compression).
    "cms.compression.CompressionMiddleware",
    # Stores the final response of anonymous public pages and API reads, with every header
    # the stack below adds; cms.wsgi.ContentCacheApp answers its hits before Django runs.
    "cms.middleware.ContentCacheMiddleware",
    # HEAD runs as GET and loses its body; the API's other methods get a JSON 405.
    "cms.middleware.HeadMiddleware",
    # ETag (a hash of the body, unless the view set one) and 304s for If-None-Match and
    # If-Modified-Since; below the cache, so stored entries carry the validators.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A database outage (PostgreSQL restarting) is a quick 503 with Retry-After, never a 500.
    "cms.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.PrefixedLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After an admin request that published pages, which languages went live and which did
    # not (releases.outcome); above the refusal's transaction, so it reads what was kept.
    "releases.outcome.PublishOutcomeMiddleware",
    # Admin writes run in one transaction; a refused one is a message, not a 500.
    "cms.middleware.AdminRefusalMiddleware",
    # Every admin search reads at most 255 characters of q (Wagtail's own query bound).
    "cms.middleware.AdminSearchLengthMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's redirects, never to a page readers may not see (its address would leak).
    "cms.redirects.ReaderRedirectMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a flagged login attempt into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite is the embedded default; DATABASE_URL (postgres://…) selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # Off by default, as Django has it: a health check is a SELECT 1 before the first
        # query of every request, a second round trip for a read that makes one. A connection
        # that PostgreSQL dropped (a restart) fails its request with a 503
        # (cms.middleware.DatabaseUnavailableMiddleware) and Django closes it at the end of
        # that request; the next one reconnects. bench/faults.py checks the recovery.
        conn_health_checks=env_bool("DATABASE_HEALTH_CHECKS", False),
    )
}
# The read model's detail, find and most lists run as statements prepared once per
# connection, on PostgreSQL (readmodel.reads._fetch); 0 behind a pooler in transaction mode
# that does not track prepared statements.
DATABASE_PREPARED_READS = env_bool("DATABASE_PREPARED_READS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if DATABASE_PREPARED_READS:
        # Django turns psycopg's prepared statements off; this documented option lets the
        # read model's own cursor prepare. Django's cursors bind on the client and never do.
        # Prepared statements run with their one generic plan, set when the session starts
        # (a SET would be undone with the transaction it ran in): only that cursor prepares.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options.setdefault("prepare_threshold", 5)
        _options["options"] = (
            _options.get("options", "") + " -c plan_cache_mode=force_generic_plan"
        ).strip()
    # Fail fast while PostgreSQL is unreachable (the reader gets a 503) instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    )
    # Wagtail's PostgreSQL search backend needs contrib.postgres for its indexes.
    INSTALLED_APPS.append("django.contrib.postgres")

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A cache outage must not take the site down: errors are logged, not raised.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-axes watches every login that passes a request (Wagtail's admin login does): after
# AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is refused
# (HTTP 429) until AXES_COOLOFF_MINUTES pass, even with the right password. Locking the pair,
# not the address alone, keeps editors behind one clinic NAT (or one reverse proxy, whose
# address REMOTE_ADDR then is) from locking each other out. force_login is not watched;
# Client.login() needs request=… because the axes backend refuses calls without one.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The lockout page, in the reader's (or the admin's) language; it also answers Wagtail's page
# and collection privacy password forms, which cms.privacy_passwords counts with axes.
AXES_LOCKOUT_TEMPLATE = "lockout.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English is the default and the fallback.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "vi")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "en": ()}
# Editors choose vi for the admin: Wagtail does not list it by default.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("vi", "Tiếng Việt")]
# locale/: the site's and the project's admin strings (makemessages writes here);
# locale/wagtail/: Vietnamese for Wagtail's own admin strings that Wagtail's catalogue lacks;
# locale/apps/: the same for Django and the other installed apps (docs/ADMIN_TRANSLATION.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail", BASE_DIR / "locale" / "apps"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Vietnamese dates read inside sentences ("ngày 14 tháng 3 năm 2025"): cms/formats/vi.
FORMAT_MODULE_PATH = ["cms.formats"]
USE_TZ = True
# The time zones an editor may pick in their profile (empty: TIME_ZONE). Only IANA's
# area/location names: the system's tzdata also lists "localtime", "Factory" and
# "posixrules", which the browser rejects as invalid time zones when the form labels them.
IANA_AREAS = (
    "Africa America Antarctica Arctic Asia Atlantic Australia Europe Indian Pacific".split()
)
WAGTAIL_USER_TIME_ZONES = [
    "UTC",
    *sorted(tz for tz in zoneinfo.available_timezones() if tz.split("/")[0] in IANA_AREAS),
]

STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# dumpdata/loaddata JSON keeps microseconds, so a restored backup answers the API identically.
SERIALIZATION_MODULES = {"json": "cms.backup_json"}

WAGTAIL_SITE_NAME = "Clinic CMS"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Editors' avatars are the ones they upload in their profile, or Wagtail's default: no request
# to gravatar.com, which would send a hash of each editor's e-mail address to a third party on
# every admin page and shows a broken image when the admin is used offline.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# cms.wsgi refuses to start while the default Site has Wagtail's placeholder address
# (localhost:80); production turns it on. `check --deploy` reports it under any settings.
REFUSE_PLACEHOLDER_SITE = False
# Draftail, but a malformed hand-made rich text POST is a 400, not a 500 (cms/richtext.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "cms.richtext.SafeDraftailRichTextArea"}}
# Wagtail's database backend, with every query bounded and safe for SQLite FTS5 quoting.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search_backend"}}
# Documents always go through Wagtail's view, which honours collection privacy: the front
# web server must serve /media/images/ (and renditions) but never /media/documents/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# Editorial safeguards: refuse (True) or only warn about (False) publishing a page whose
# translations are incomplete.
EDITORIAL_BLOCK_INCOMPLETE_TRANSLATION_PUBLISH = env_bool(
    "EDITORIAL_BLOCK_INCOMPLETE_TRANSLATION_PUBLISH", False
)

# Page types (app_label.ModelName) whose languages go live only once a doctor reviewed that
# language's text (releases.service.approval; docs/RELEASES.md). Comma-separated in the
# environment; the default language follows the same rule.
RELEASE_REVIEW_REQUIRED_FOR = tuple(
    label.strip()
    for label in os.environ.get(
        "RELEASE_REVIEW_REQUIRED_FOR", "therapies.TherapyPage,therapies.ArticlePage"
    ).split(",")
    if label.strip()
)

# Rendered public pages and API reads are cached for anonymous readers (cms.middleware);
# any publish, unpublish, move or delete invalidates them. 0 turns a cache off.
# Site, private sections and clinic settings kept per process for one content version
# (cms.reference); production turns it off when no shared cache (REDIS_URL) tells processes apart.
CMS_REFERENCE_PER_PROCESS = True
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Public HTML pages, the sitemap and robots.txt (cms.crawlers): how long browsers and shared
# caches may keep them; ETag and Last-Modified revalidate them.
PAGE_CACHE_CONTROL = os.environ.get("PAGE_CACHE_CONTROL", "public, max-age=60")
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "300"))

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")

# Security headers. The public site has no inline script or style, so its Content Security
# Policy allows only this origin's files. The admin is excluded: Wagtail's admin (and its
# page previews, served under /admin/) relies on inline scripts and styles.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Content API (cms/api): shared caches may keep a response this long; ETag revalidates it.
API_CACHE_CONTROL = os.environ.get(
    "API_CACHE_CONTROL", "public, max-age=60, stale-while-revalidate=300"
)
# Rich text in the API is display HTML (internal links resolved), not Wagtail's database HTML.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Headless preview: the external site's preview page, given ?token=…&lang=…&id=….
HEADLESS_PREVIEW_URL = os.environ.get("HEADLESS_PREVIEW_URL", "http://localhost:3000/api/preview")
HEADLESS_PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("HEADLESS_PREVIEW_TOKEN_MAX_AGE", "3600"))
# Delta sync (/api/v1/sync/): deleted pages are remembered this long, and a sync token older
# than this is refused (the client starts over). At least 30 days.
SYNC_DELETIONS_RETENTION_DAYS = int(os.environ.get("SYNC_DELETIONS_RETENTION_DAYS", "35"))

# Background tasks (django-tasks). "default" is what Wagtail itself uses (immediate, as before);
# webhooks use their own alias so a slow receiver never holds up an editor's publish.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {
        "BACKEND": os.environ.get("WEBHOOKS_TASK_BACKEND", "webhooks.backends.ThreadBackend")
    },
}
WEBHOOKS = {
    "TIMEOUT": float(os.environ.get("WEBHOOKS_TIMEOUT", "5")),
    "MAX_ATTEMPTS": int(os.environ.get("WEBHOOKS_MAX_ATTEMPTS", "5")),
    # Delay before attempt n+1 is BACKOFF_SECONDS * 2**(n-1): 10 s, 20 s, 40 s, 80 s.
    "BACKOFF_SECONDS": float(os.environ.get("WEBHOOKS_BACKOFF_SECONDS", "10")),
}
# Webhooks go to public internet addresses only (webhooks.destinations); these CIDR networks
# are opened on top, e.g. "10.0.5.0/24" for a front end on the clinic's own network.
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS")
CORS_URLS_REGEX = r"^/api/.*$"
# Machine translation suggestions in the Translate workspace: off unless a backend is named,
# because the service receives unpublished medical text. BACKEND: "deepl" or "libretranslate".
MACHINE_TRANSLATION = {
    "BACKEND": os.environ.get("MACHINE_TRANSLATION_BACKEND", ""),
    "URL": os.environ.get("MACHINE_TRANSLATION_URL", ""),
    "API_KEY": os.environ.get("MACHINE_TRANSLATION_API_KEY", ""),
    "TIMEOUT": float(os.environ.get("MACHINE_TRANSLATION_TIMEOUT", "10")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
