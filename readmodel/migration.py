"""Documents for content that existed before the read model: built after ``migrate``.

Building a document runs the API's own code (page types, StreamField blocks, the API
schemas), which only works on the models as they are now, not on the historical models a
data migration gets. So the step runs on ``post_migrate``, once every migration has run and
the schema matches the code: changes a migration recorded in the outbox (a new column
every document needs) are drained, and every page of a published type under a site that has no
document yet is built, in one transaction. On an up-to-date database it costs one query.
"""

import logging

from django.db import DEFAULT_DB_ALIAS

logger = logging.getLogger(__name__)


def build_missing(sender=None, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    from . import outbox

    if using != DEFAULT_DB_ALIAS:
        return
    if outbox.pending():  # a migration recorded that documents must be rebuilt (a new column)
        done, _failed = outbox.drain()
        if verbosity and done:
            print(f"  Rebuilt page documents for {done} recorded changes.")
    missing = outbox.missing_documents()
    if not missing:
        return
    written = outbox.rebuild_pages(missing)
    if verbosity:
        print(f"  Built {written} page documents for {len(missing)} pages.")
