"""``cms.rows.update_fields``: a few rows are one plain UPDATE each, more go in bulk; all stored."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count, updates", [(2, 2), (rows.FEW, rows.FEW), (rows.FEW + 3, 1)])
def test_the_fields_named_are_stored_and_no_other(count, updates):
    User = get_user_model()
    users = [
        User.objects.create(username=f"bien-tap-{n}", first_name="Lan", last_name="Trần")
        for n in range(count)
    ]
    for n, user in enumerate(users):
        user.first_name = f"Ngọc Ánh {n}"
        user.last_name = "not written"  # not named below
    with CaptureQueriesContext(connection) as queries:
        rows.update_fields(users, ["first_name"])
    assert [q["sql"].split(" ", 1)[0] for q in queries.captured_queries] == ["UPDATE"] * updates
    stored = User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk")
    assert [(u.first_name, u.last_name) for u in stored] == [
        (f"Ngọc Ánh {n}", "Trần") for n in range(count)
    ]
    rows.update_fields([], ["first_name"])  # nothing to write: no query
