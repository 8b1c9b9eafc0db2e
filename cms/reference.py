"""Slow-changing reference data kept in each process for one content version.

Every request that builds content needs the site of its host, the private image
collections, the clinic's doctors and the clinic's settings. They change rarely, and every
change to them bumps the content version (``cms.cache``), so each process keeps them for as
long as the version it read them under is the current one: one cache read per request
instead of a query each (three to five per API detail, most of an uncached
request's database time).

This holds reference data only, and what is built from it alone, never a page, a
response or anything that depends on the time (visibility is ``cms.visibility``'s): an
uncached response is still built from the page's rows on every request.

When the cache cannot be reached (no version), or ``CMS_REFERENCE_PER_PROCESS``
is off (production without a shared cache: a publish in one worker process could
not reach another), nothing is kept between requests: each request reads the
database once, as it would without this module.
"""

import threading

from django.conf import settings
from django.db.models import Q
from django.http.request import split_domain_port

from cms.cache import content_version

_lock = threading.Lock()
_state = {"version": None, "values": {}}
_REQUEST_ATTR = "_cms_reference"


class Reference:
    """Reference data valid for one content version (``version`` None: for this request only)."""

    def __init__(self, version, values):
        self.version = version
        self.values = values

    def keep(self, key, load):
        """``load()``, kept as long as this reference data (for values built only from it).

        What is kept is shared by every thread of the process: keep values that are
        never changed after they are built (a queryset is kept unevaluated and
        handed out as a copy, see ``cms.api.visibility``).
        """
        try:
            return self.values[key]
        except KeyError:
            value = self.values[key] = load()
            return value

    def site_for_request(self, request):
        """``Site.find_for_request``, kept per host and port (the two things it matches on)."""
        from wagtail.models import Site

        if hasattr(request, "_wagtail_site"):
            return request._wagtail_site
        key = ("site", split_domain_port(request._get_raw_host())[0], request.get_port())
        request._wagtail_site = site = self.keep(key, lambda: Site._find_for_request(request))
        return site

    def private_collection_ids(self):
        """Ids of the collections with a view restriction and of every collection inside one."""
        from wagtail.models import Collection, CollectionViewRestriction

        def load():
            restrictions = CollectionViewRestriction.objects.all()
            paths = set(restrictions.values_list("collection__path", flat=True))
            if not paths:
                return frozenset()
            inside = Q()
            for path in paths:
                inside |= Q(path__startswith=path)
            return frozenset(Collection.objects.filter(inside).values_list("pk", flat=True))

        return self.keep("private_collections", load)

    def is_public_image(self, image):
        """True for an image readers may see: one outside every private collection."""
        return image is not None and image.collection_id not in self.private_collection_ids()

    def doctors(self):
        """Every doctor by id, with portrait and its renditions (Doctor and image saves bump).

        Quoted in article bodies and named by every medical review: a clinic has a
        handful, read on almost every page, so they are reference data.
        """
        return self.keep("doctors", self._load_doctors)

    def _load_doctors(self):
        from therapies.blocks import PORTRAIT_FILTERS
        from therapies.models import Doctor

        doctors = (
            Doctor.objects.select_related("photo").prefetch_related("photo__renditions").in_bulk()
        )
        # Kept objects are shared by the process's threads. Every portrait rendition the API and
        # the templates use is made now, while these objects are this thread's own: making one
        # later would open the shared image's file from several threads at once.
        for doctor in doctors.values():
            if doctor.photo is not None and self.is_public_image(doctor.photo):
                try:
                    doctor.photo.get_renditions(*PORTRAIT_FILTERS)
                except OSError:  # the file is gone: pages show no portrait, as before
                    pass
        return doctors

    def clinic_settings(self, site):
        from home.models import ClinicSettings

        return self.keep(("clinic", site.pk), lambda: ClinicSettings.for_site(site))


def for_request(request):
    """The reference data of this request (the content version is read once per request)."""
    reference = getattr(request, _REQUEST_ATTR, None) if request is not None else None
    if reference is None:
        reference = current()
        if request is not None:
            setattr(request, _REQUEST_ATTR, reference)
    return reference


def current():
    if not getattr(settings, "CMS_REFERENCE_PER_PROCESS", True):
        return Reference(None, {})
    version = content_version()
    if version is None:  # no cache: kept for this request only, read again by the next
        return Reference(None, {})
    with _lock:
        if _state["version"] != version:
            _state["version"] = version
            _state["values"] = {}
        return Reference(version, _state["values"])


def clear():
    """Forget everything kept (tests; a process that changed data outside the signals)."""
    with _lock:
        _state["version"] = None
        _state["values"] = {}
