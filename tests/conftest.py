"""Shared fixtures: a small bilingual site built per test (not the whole demo content)."""

import os

import pytest
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site

from home.models import ClinicSettings

from . import factories
from .api_fixtures import make_image, make_rich_article
from .readmodel_fixtures import documents_follow_content  # noqa: F401  (autouse)


def uses_database(item):
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(item.fixturenames)
    )


# What the second database suite leaves out: modules about what is presented (admin wording
# and screens, HTML and its headers, input validation, file formats, machine translation,
# error bodies, the OpenAPI document), which run the same ORM code as the modules kept and
# whose outcome does not depend on the database engine. Everything else runs on both: reads
# and visibility, documents and sync, releases, saves and concurrent edits, search, caches,
# redirects, references, webhooks, query counts. A new module runs on both unless named here.
SAME_ON_EVERY_DATABASE = {
    "test_admin_claims",
    "test_admin_dashboard",
    "test_admin_doctors",
    "test_admin_language",
    "test_admin_language_switch",
    "test_admin_page_titles",
    "test_admin_refusals",
    "test_admin_terminology",
    "test_admin_times",
    "test_admin_translation_coverage",
    "test_admin_vi_wording",
    "test_admin_wagtail_vi_overrides",
    "test_api_errors",
    "test_api_openapi",
    "test_api_schemathesis",
    "test_editorial_admin_vietnamese",
    "test_editorial_claims_matcher",
    "test_http_methods",
    "test_security_advisories",
    "test_security_headers",
    "test_security_input",
    "test_security_login",
    "test_security_redirects",
    "test_site_audit",
    "test_site_crawlers",
    "test_site_demo_content",
    "test_site_errors",
    "test_site_headings",
    "test_site_sharing",
    "test_site_small_screens",
    "test_site_structured_data",
    "test_translate_files",
    "test_translate_files_admin",
    "test_translate_glossary",
    "test_translate_machine",
    "test_translate_workspace",
    # Segments, admin input and redirects: Python over rows any database stores alike (the
    # PostgreSQL suite keeps what depends on the database: locks, queries, the read model,
    # the admin's search, which each database's full-text search answers).
    "test_admin_edit_languages",
    "test_admin_emptied_translation",
    "test_redirects",
    "test_translate_list_items",
    "test_translate_records_follow_edits",
    "test_translate_rich_paragraphs",
    "test_translate_segments",
    "test_translate_structure",
}


def pytest_collection_modifyitems(config, items):
    """``SECOND_DATABASE_SUITE=1`` (CI's PostgreSQL run): what the first suite (SQLite) ran
    on the same code and does not depend on the database is left out here: tests that use
    no database, the real-browser tests (heavy on CI's two cores; they drive the admin and
    site through the ORM code the kept tests cover on both databases), and the modules of
    ``SAME_ON_EVERY_DATABASE``."""
    if os.environ.get("SECOND_DATABASE_SUITE") != "1":
        return
    once = [
        i
        for i in items
        if not uses_database(i)
        or i.path.name.startswith("test_browser_")
        or i.path.stem in SAME_ON_EVERY_DATABASE
    ]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [i for i in items if i not in once]


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts with English active and an empty cache, as a fresh process would."""
    cache.clear()
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


@pytest.fixture
def home(root_page):
    home = factories.make_home(root_page)
    site = Site.objects.get(is_default_site=True)
    placeholder = site.root_page
    site.root_page = home
    site.hostname = "testserver"
    site.port = 80
    site.save()
    if placeholder.pk != home.pk:
        placeholder.delete()
    home.refresh_from_db()
    return home


@pytest.fixture
def clinic(home):
    settings = ClinicSettings.for_site(Site.objects.get(root_page=home))
    settings.clinic_name_en = "Test Clinic"
    settings.clinic_name_vi = "Phòng khám Thử nghiệm"
    settings.hotline = "079 7479 222"
    settings.zalo_url = "https://zalo.me/0797479222"
    settings.booking_url = "https://clinic.example/booking"
    settings.save()
    return settings


@pytest.fixture
def therapy_index(home):
    return factories.make_therapy_index(home)


@pytest.fixture
def article_index(home):
    return factories.make_article_index(home)


@pytest.fixture
def doctor(db):
    return factories.DoctorFactory(name="Võ Thanh Sang")


@pytest.fixture
def prp(therapy_index):
    return factories.make_therapy(
        therapy_index,
        "PRP",
        "prp",
        "PRP (huyết tương giàu tiểu cầu)",
        "prp",
        summary_vi="Huyết tương giàu tiểu cầu được tách từ máu của chính bạn.",
    )


@pytest.fixture
def exosomes(therapy_index):
    return factories.make_therapy(
        therapy_index,
        "Exosomes",
        "exosomes",
        "Exosome",
        "exosome",
        source="donor",
        evidence_level="early",
        summary_vi="Những túi ngoại bào siêu nhỏ, bằng chứng còn ở giai đoạn đầu.",
    )


def comparison_block(therapies, rows, title="PRP vs exosomes", takeaway=""):
    return {
        "type": "comparison",
        "value": {
            "title": title,
            "therapies": [t.pk for t in therapies],
            "rows": [{"dimension": d, "values": list(v)} for d, v in rows],
            "takeaway": takeaway,
        },
    }


@pytest.fixture
def article(article_index, prp, exosomes, doctor, clinic):
    """The PRP-vs-exosomes article with a comparison, a doctor quote and a claims warning."""
    body_en = [
        {"type": "heading", "value": {"text": "Two different therapies", "level": "h2"}},
        {"type": "paragraph", "value": "<p>PRP comes from your own blood.</p>"},
        comparison_block([prp, exosomes], [("Nature", ("Own blood", "Donor vesicles"))]),
        {
            "type": "doctor_quote",
            "value": {"doctor": doctor.pk, "quote": "Be realistic.", "context": "Sample"},
        },
        {
            "type": "claims_warning",
            "value": {
                "title": "Claims",
                "intro": "",
                "claims": [{"claim": "permanent rejuvenation", "why": "Skin keeps ageing."}],
            },
        },
        factories.call_to_action_block("Book a visit"),
    ]
    body_vi = [
        {"type": "heading", "value": {"text": "Hai liệu pháp khác nhau", "level": "h2"}},
        {"type": "paragraph", "value": "<p>PRP được lấy từ chính máu của bạn.</p>"},
        comparison_block(
            [prp, exosomes],
            [("Bản chất", ("Máu tự thân", "Túi ngoại bào từ người hiến"))],
            title="So sánh PRP và exosome",
        ),
        {
            "type": "doctor_quote",
            "value": {"doctor": doctor.pk, "quote": "Hãy kỳ vọng thực tế.", "context": "Mẫu"},
        },
        {
            "type": "claims_warning",
            "value": {
                "title": "Lời quảng cáo",
                "intro": "",
                "claims": [{"claim": "trẻ hóa vĩnh viễn", "why": "Da vẫn lão hóa."}],
            },
        },
        factories.call_to_action_block("Đặt lịch tư vấn"),
    ]
    return factories.make_article(
        article_index,
        "Exosomes vs PRP",
        "exosomes-vs-prp",
        "Exosome và PRP khác nhau thế nào",
        "exosome-va-prp",
        lead_vi="Hiểu đúng về hai liệu pháp tái tạo được quảng cáo nhiều nhất.",
        body_en=body_en,
        body_vi=body_vi,
        reviewed_by=doctor,
    )


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "editor", "editor@example.com", "pw-for-tests-only"
    )
    client.force_login(user)
    return client


# Images, doctors with portraits and an article with every block kind, for the API tests.


@pytest.fixture
def photo(db):
    return make_image("Doctor portrait", size=(600, 600))


@pytest.fixture
def pictures(db):
    return [make_image(f"Picture {n}", size=(1000 + n * 10, 600)) for n in range(3)]


@pytest.fixture
def doctors(db, photo):
    return [
        factories.DoctorFactory(name="Võ Thanh Sang", photo=photo),
        factories.DoctorFactory(name="Nguyễn Thị Hoa", photo=make_image("Second portrait")),
    ]


@pytest.fixture
def rich_article(article_index, prp, exosomes, doctors, pictures, clinic):
    return make_rich_article(article_index, prp, exosomes, doctors, pictures, "rich")
