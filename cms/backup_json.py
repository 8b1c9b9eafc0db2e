"""``dumpdata``/``loaddata`` JSON that keeps timestamps exact (registered as the "json" format).

Django's JSON serializer cuts datetimes to milliseconds, so a page restored from a stock
``dumpdata`` backup answers ``first_published_at``/``last_published_at`` (and its ETag)
differently from before. This format writes full microseconds; reading is Django's own.
Everything else is Django's JSON serializer unchanged (tests/test_backup_restore.py).
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

Deserializer = django_json.Deserializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time) and o.microsecond:
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(django_json.Serializer):
    """Django's JSON serializer writing with ``ExactJSONEncoder`` unless the caller names
    another encoder (``cls``, an option of ``serializers.serialize``)."""

    def serialize(self, queryset, **options):
        options.setdefault("cls", ExactJSONEncoder)
        return super().serialize(queryset, **options)
