"""A client developer generates a typed client from /api/v1/openapi.json or browses /api/v1/docs."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_endpoint_is_documented_with_its_errors(openapi):
    paths = openapi["paths"]
    assert set(paths) == {
        "/api/v1/pages/",
        "/api/v1/pages/find/",
        "/api/v1/pages/{id}/",
        "/api/v1/preview/",
        "/api/v1/doctors/",
        "/api/v1/doctors/{id}/",
        "/api/v1/settings/",
        "/api/v1/sync/",
    }
    detail = paths["/api/v1/pages/{id}/"]["get"]
    assert {"200", "304", "400", "404", "422"} <= set(detail["responses"])
    assert "type-specific fields" in detail["description"]
    listing = {p["name"]: p for p in paths["/api/v1/pages/"]["get"]["parameters"]}
    assert set(listing) == {"type", "child_of", "search", "order", "limit", "offset", "lang"}
    assert listing["limit"]["schema"]["maximum"] == 100


def test_sync_is_documented_with_its_tokens_and_typed_documents(openapi):
    operation = openapi["paths"]["/api/v1/sync/"]["get"]
    assert {"200", "400", "404", "422"} <= set(operation["responses"])
    assert "start over" in operation["description"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"lang", "token", "cursor"}
    schema = openapi["components"]["schemas"]["SyncOut"]
    assert set(schema["required"]) >= {"lang", "documents", "removed"}
    documents = schema["properties"]["documents"]["items"]
    assert {"TherapyPageOut", "ArticlePageOut"} <= {
        ref["$ref"].rsplit("/", 1)[-1] for ref in documents["oneOf"]
    }
    assert schema["examples"][0]["removed"] == [42]


def test_every_block_shape_is_typed(openapi):
    schemas = openapi["components"]["schemas"]
    for name in (
        "HeadingBlock",
        "ParagraphBlock",
        "ImageBlock",
        "KeyPointsBlock",
        "ComparisonBlock",
        "DoctorQuoteBlock",
        "ClaimsWarningBlock",
        "SafetyNotesBlock",
        "CallToActionBlock",
    ):
        assert name in schemas, name
    comparison = schemas["ComparisonValue"]["properties"]
    assert comparison["therapies"]["items"]["$ref"].endswith("/PageRefOut")
    assert comparison["rows"]["items"]["$ref"].endswith("/ComparisonRowOut")
    doctor = schemas["DoctorOut"]["properties"]
    assert {"id", "name", "credentials", "photo"} <= set(doctor)
    rendition = schemas["RenditionOut"]["properties"]
    assert {"url", "width", "height", "format"} <= set(rendition)
    assert schemas["TherapyPageOut"]["properties"]["type"]["const"] == "therapy"


def test_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"/static/ninja/swagger-ui" in response.content
