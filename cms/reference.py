"""Reference data of one request: the private image collections and what apps register.

Every response that builds content may need them several times (each quoted doctor, each
image); a ``Reference`` reads each once and keeps it for the request (or the build of one
document, ``readmodel.builder``). Nothing is kept between requests: readers read
documents built when content changed, so there is nothing to make faster here.
"""

from django.db.models import Q

_REQUEST_ATTR = "cms_reference"

# What apps add (``register``): name -> ``load(reference, *args)``.
_loaders = {}


def register(name, load):
    """Say how reference data ``name`` is read: ``load(reference, *args)``, once per request.

    ``reference.request`` is the request it is read for (None outside one), for loaders
    that share what Django or Wagtail already keep on it.

    Apps register what they own (home: its clinic settings), so this module names none.
    """
    _loaders[name] = load


class Reference:
    """Reference data read once for one request (``request``: None outside one)."""

    def __init__(self, request=None):
        self.request = request
        self.values = {}

    def keep(self, key, load):
        """``load()``, kept as long as this reference data (for values built only from it)."""
        try:
            return self.values[key]
        except KeyError:
            value = self.values[key] = load()
            return value

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

    def read(self, name, *args):
        """Reference data ``name`` (of ``args``), read once by the loader its app registered."""
        try:
            load = _loaders[name]
        except KeyError:
            raise LookupError(f"No app registered reference data {name!r}.") from None
        return self.keep((name, *args), lambda: load(self, *args))


def for_request(request):
    """The reference data of this request (read at most once per request)."""
    if request is None:
        return Reference()
    reference = getattr(request, _REQUEST_ATTR, None)
    if reference is None:
        reference = Reference(request)
        setattr(request, _REQUEST_ATTR, reference)
    return reference


def current():
    """Reference data outside a request (read again by each caller)."""
    return Reference()
