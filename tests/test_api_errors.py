"""Bad input gets a 4xx with a JSON `detail`, never a 500 or an HTML page or a redirect."""

import pytest

pytestmark = pytest.mark.django_db

BAD_REQUESTS = [
    ("/api/v1/pages/?limit=-1", 422),
    ("/api/v1/pages/?limit=100000", 422),
    ("/api/v1/pages/?limit=abc", 422),
    ("/api/v1/pages/?offset=-5", 422),
    ("/api/v1/pages/?offset=99999999999999999999999", 422),
    ("/api/v1/pages/?type=blog", 422),
    ("/api/v1/pages/?order=password", 422),
    ("/api/v1/pages/?child_of=abc", 422),
    ("/api/v1/pages/?child_of=424242", 404),
    ("/api/v1/pages/?colour=red", 400),
    ("/api/v1/pages/?lang=xx", 400),
    ("/api/v1/pages/?lang=%20vi%20%3B", 400),
    ("/api/v1/pages/?lang=all", 400),
    ("/api/v1/pages/?search=%00", 422),
    ("/api/v1/pages/abc/", 422),
    ("/api/v1/pages/0/", 422),
    ("/api/v1/pages/99999999999999999999/", 422),
    ("/api/v1/pages/424242/", 404),
    ("/api/v1/pages/find/", 422),
    ("/api/v1/pages/find/?path=", 422),
    ("/api/v1/pages/find/?path=lieu-phap", 422),
    ("/api/v1/pages/find/?path=/vi/%00/", 422),
    ("/api/v1/pages/find/?path=/vi/../../etc/passwd", 404),
    ("/api/v1/pages/find/?path=http://[::1/vi/", 404),
    ("/api/v1/pages/find/?path=/xx/yy/", 404),
    ("/api/v1/doctors/abc/", 422),
    ("/api/v1/doctors/?limit=0", 422),
    ("/api/v1/settings/?lang=klingon", 400),
    ("/api/v1/preview/", 422),
    ("/api/v1/preview/?token=nonsense", 403),
    ("/api/v1/preview/?token=eyJwYWdlIjoxfQ:1:bad", 403),
    ("/api/v1/nothing-here/", 404),
    ("/api/v2/pages/", 404),
    ("/api/", 404),
]


@pytest.mark.parametrize("url,status", BAD_REQUESTS)
def test_bad_input_is_a_json_4xx(client, home, url, status):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_missing_page_is_a_json_404_not_a_redirect(client, home):
    response = client.get("/api/v1/pages/987654/", follow=False)
    assert response.status_code == 404
    assert "Location" not in response
    assert response.json()["detail"] == "No live, public page with id 987654."


def test_validation_errors_name_the_parameter(client, home):
    data = client.get("/api/v1/pages/?limit=500").json()
    assert "limit" in data["detail"]
    assert data["errors"][0]["loc"] == ["query", "limit"]


def test_unknown_type_lists_nothing_but_says_why(client, home):
    data = client.get("/api/v1/pages/?type=blog").json()
    assert "type" in data["detail"]


def test_stock_wagtail_apis_are_not_exposed(client, home):
    for url in ("/api/v2/pages/", "/api/v3/pages/", "/en/api/v2/pages/"):
        response = client.get(url)
        assert response.status_code in (404, 302) and b'"meta"' not in response.content


def _integer_parameters(client):
    """(path template, parameter, where) of every integer parameter the schema documents."""
    schema = client.get("/api/v1/openapi.json").json()
    for template, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            types = [parameter["schema"], *parameter["schema"].get("anyOf", [])]
            if any(t.get("type") == "integer" for t in types):
                yield template, parameter["name"], parameter["in"]


@pytest.mark.parametrize("spelling", ["1_0", "+1", " 1", "١", "0x1"])
def test_every_number_in_a_url_is_plain_digits(client, home, spelling):
    """``/pages/1_0/`` is not page 10: one address per answer, for readers and caches."""
    from urllib.parse import quote

    checked = 0
    for template, name, where in _integer_parameters(client):
        path = template.replace("{" + name + "}", quote(spelling)) if where == "path" else template
        path = path.replace("{id}", str(home.pk))
        query = f"?{name}={quote(spelling)}" if where == "query" else ""
        response = client.get(path + query)
        assert response.status_code == 422, (path + query, response.content)
        assert name in response.json()["detail"], response.json()
        checked += 1
    assert checked >= 6  # pages: id, child_of, limit, offset; doctors: id, limit, offset
