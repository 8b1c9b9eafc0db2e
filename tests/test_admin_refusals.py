"""What the database would refuse, an editor hears about in the admin, with their input kept.

Deleting a doctor who reviewed pages, a slug that clashes with a sibling's in either
language (typed, or an empty one falling back to English) on create, edit, copy,
move and bulk publish, and a refusal no check foresaw (a race): a message, never a 500.
"""

import datetime
import unicodedata

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile

from editorial.models import MedicalReview, RedFlagClaim
from editorial.review import record_review
from home.models import HomePage
from therapies.models import ArticlePage, Doctor

from . import factories
from .admin_forms import article_form
from .editorial_fixtures import *  # noqa: F403 - fixtures
from .editorial_fixtures import make_user

pytestmark = pytest.mark.django_db

REVIEWED_ON = datetime.date(2025, 3, 14)


def speaks_vietnamese(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()


def error_messages(response):
    return [str(m.message) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.fixture
def superuser(django_user_model, admin_client):
    return django_user_model.objects.get(username="editor")


@pytest.fixture
def siblings(article_index):
    """Two articles under one section; the first's Vietnamese slug is “vi-lam-dep”."""
    first = factories.make_article(
        article_index, "Laser care", "laser-care", "Chăm sóc da bằng laser", "vi-lam-dep"
    )
    second = factories.make_article(
        article_index, "Peels", "peels", "Lột da hóa học", "lot-da-hoa-hoc"
    )
    return first, second


@pytest.fixture
def reviewed_doctor(doctor, siblings):
    """A doctor who reviewed the first article in both languages."""
    record_review(siblings[0], doctor, languages=["en", "vi"], reviewed_on=REVIEWED_ON)
    return doctor


@pytest.fixture
def doctor_keeper(django_user_model):
    """An editor, admin in Vietnamese, who may edit and delete doctors."""
    user = make_user(
        django_user_model,
        "bien-tap-vien",
        "Editors",
        perms=["therapies.change_doctor", "therapies.delete_doctor"],
    )
    speaks_vietnamese(user)
    return user


# -- deleting a doctor who reviewed pages --------------------------------------------------------


def test_deleting_a_reviewing_doctor_lists_the_reviews_and_keeps_everything(
    admin_client, reviewed_doctor, siblings
):
    url = reverse("wagtailsnippets_therapies_doctor:delete", args=(reviewed_doctor.pk,))
    for method in (admin_client.get, admin_client.post):
        response = method(url, follow=True)
        assert response.status_code == 200
        [error] = error_messages(response)
        assert "Võ Thanh Sang" in error and "cannot be deleted" in error
        assert error.count("Laser care") == 2  # one review per language
        assert "English" in error and "Vietnamese" in error
        assert "March 14, 2025" in error
        assert "Keep this doctor" in error
        html = response.content.decode()
        assert "Chăm sóc da bằng laser" not in error  # titles in the editor's language
        assert 'value="Võ Thanh Sang"' in html  # back on the doctor's form
    assert Doctor.objects.filter(pk=reviewed_doctor.pk).exists()
    assert MedicalReview.objects.filter(doctor=reviewed_doctor).count() == 2


def test_vietnamese_editor_reads_the_refusal_in_vietnamese(
    client, doctor_keeper, reviewed_doctor, siblings
):
    client.force_login(doctor_keeper)
    url = reverse("wagtailsnippets_therapies_doctor:delete", args=(reviewed_doctor.pk,))
    response = client.post(url, follow=True)
    assert response.status_code == 200
    [error] = error_messages(response)
    assert "Không thể xóa" in error
    assert error.count("Chăm sóc da bằng laser") == 2
    assert "Tiếng Việt" in error and "Tiếng Anh" in error
    assert "ngày 14 tháng 3 năm 2025" in error
    assert "Hãy giữ lại bác sĩ này" in error
    assert Doctor.objects.filter(pk=reviewed_doctor.pk).exists()


def test_bulk_delete_with_a_reviewing_doctor_deletes_nothing(admin_client, reviewed_doctor):
    other = factories.DoctorFactory(name="Trần Minh Khoa")
    url = (
        reverse("wagtail_bulk_action", args=("therapies", "doctor", "delete"))
        + f"?id={reviewed_doctor.pk}&id={other.pk}"
    )
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    [error] = error_messages(response)
    assert "Võ Thanh Sang" in error and "Laser care" in error
    assert Doctor.objects.filter(pk__in=[reviewed_doctor.pk, other.pk]).count() == 2


def test_a_doctor_without_reviews_is_still_deleted(admin_client, doctor):
    url = reverse("wagtailsnippets_therapies_doctor:delete", args=(doctor.pk,))
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Doctor.objects.filter(pk=doctor.pk).exists()


def test_a_review_recorded_after_the_check_is_a_message_not_a_500(
    admin_client, reviewed_doctor, monkeypatch
):
    """The race: the check passed, then the database refuses (PROTECT)."""
    monkeypatch.setattr("cms.deletion.blocked", lambda objects: [])
    url = reverse("wagtailsnippets_therapies_doctor:delete", args=(reviewed_doctor.pk,))
    response = admin_client.post(url, HTTP_REFERER="http://testserver" + url)
    assert response.status_code == 302
    [error] = error_messages(response)
    assert "Nothing was deleted" in error and "Laser care" in error
    assert Doctor.objects.filter(pk=reviewed_doctor.pk).exists()


# -- slugs ---------------------------------------------------------------------------------------


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("therapies", "articlepage", index.pk))


def test_empty_vietnamese_slug_falling_back_onto_a_taken_one_is_a_form_error(
    admin_client, article_index, siblings
):
    # English slug “vi-lam-dep” is free in English, but with no Vietnamese slug the
    # Vietnamese address would be /vi/bai-viet/vi-lam-dep/, the first article's.
    form = article_form(
        "Laser myths", "vi-lam-dep", "Những lầm tưởng về laser", "", lead_vi="Lời dẫn đã soạn."
    )
    response = admin_client.post(add_url(article_index), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["slug_vi"]
    assert "Chăm sóc da bằng laser" not in errors["slug_vi"][0]
    assert "“Laser care”" in errors["slug_vi"][0] and "vi-lam-dep" in errors["slug_vi"][0]
    html = response.content.decode()
    assert "Những lầm tưởng về laser" in html and "Lời dẫn đã soạn." in html
    assert not ArticlePage.objects.filter(title_en="Laser myths").exists()


def test_vietnamese_editor_gets_the_slug_error_in_vietnamese(
    editor, editor_client, article_index, siblings
):
    speaks_vietnamese(editor)
    form = article_form("Laser myths", "vi-lam-dep", "Những lầm tưởng về laser", "", action=None)
    response = editor_client.post(add_url(article_index), form)
    assert response.status_code == 200
    [message] = response.context["form"].errors["slug_vi"]
    assert "Chăm sóc da bằng laser" in message  # the sibling's title in Vietnamese
    assert "Hãy nhập một slug khác cho tiếng Việt" in message
    assert "Những lầm tưởng về laser" in response.content.decode()
    assert not ArticlePage.objects.filter(title_en="Laser myths").exists()


def test_typed_slug_taken_in_vietnamese_is_an_error_on_that_field(admin_client, siblings):
    first, second = siblings
    edit = reverse("wagtailadmin_pages:edit", args=(second.pk,))
    form = article_form(second.title_en, second.slug_en, "Lột da: tiêu đề mới", "vi-lam-dep")
    response = admin_client.post(edit, form)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["slug_vi"]
    assert "“Laser care”" in response.context["form"].errors["slug_vi"][0]
    assert "Lột da: tiêu đề mới" in response.content.decode()
    second.refresh_from_db()
    assert second.slug_vi == "lot-da-hoa-hoc"


def test_copy_onto_a_taken_fallback_slug_is_a_form_error(admin_client, siblings):
    first, second = siblings
    url = reverse("wagtailadmin_pages:copy", args=(second.pk,))
    data = {
        "new_title_en": "Peels, again",
        "new_title_vi": "Lột da, bản sao",
        "new_slug_en": "vi-lam-dep",
        "new_slug_vi": "",
        "new_parent_page": str(second.get_parent().pk),
    }
    before = Page.objects.count()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["new_slug_vi"] and "“Laser care”" in errors["new_slug_vi"][0]
    assert "Lột da, bản sao" in response.content.decode()
    assert Page.objects.count() == before


@pytest.fixture
def second_section(root_page):
    """A second site's article section (a moved page must fit there in both languages)."""
    home = factories.publish_child(
        root_page,
        HomePage(title="Branch", slug="branch", title_en="Branch", slug_en="branch"),
    )
    section = factories.make_article_index(home)
    factories.make_article(section, "Fillers", "fillers", "Chất làm đầy", "lot-da-hoa-hoc")
    return section


def test_moving_onto_a_slug_taken_in_the_other_language_is_refused(
    admin_client, siblings, second_section
):
    first, second = siblings  # second's Vietnamese slug is taken under second_section
    url = reverse("wagtailadmin_pages:move_confirm", args=(second.pk, second_section.pk))
    for method in (admin_client.get, admin_client.post):
        response = method(url, follow=True)  # back to choosing a destination
        assert response.redirect_chain[0][0] == reverse(
            "wagtailadmin_pages:move", args=(second.pk,)
        )
        assert response.status_code == 200
        [error] = error_messages(response)
        assert "“Fillers”" in error and "lot-da-hoa-hoc" in error
    second.refresh_from_db()
    assert second.get_parent().pk == first.get_parent().pk


def test_bulk_publishing_a_draft_whose_slug_was_taken_since_is_refused(admin_client, siblings):
    first, second = siblings
    # A draft renames the second article's Vietnamese slug, then the first takes it live.
    draft = ArticlePage.objects.get(pk=second.pk)
    draft.slug_vi = "lieu-trinh-moi"
    draft.save_revision()
    live = ArticlePage.objects.get(pk=first.pk)
    live.slug_vi = "lieu-trinh-moi"
    live.save_revision().publish()

    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = admin_client.post(f"{url}?id={second.pk}", follow=True)
    assert response.status_code == 200
    [error] = error_messages(response)
    assert "lieu-trinh-moi" in error and "“Laser care”" in error
    second.refresh_from_db()
    assert second.slug_vi == "lot-da-hoa-hoc" and second.has_unpublished_changes


def test_a_slug_taken_after_the_form_check_is_a_message_and_nothing_is_saved(
    admin_client, article_index, siblings, monkeypatch
):
    """The race: the form saw a free slug, the save did not (``BilingualPageMixin.full_clean``
    asks again at save, as another editor may have taken it meanwhile)."""
    from cms import slugs

    asked = []

    def free_at_first(*args, **kwargs):
        asked.append(args)
        return [] if len(asked) == 1 else real_conflicts(*args, **kwargs)

    real_conflicts = slugs.conflicts
    monkeypatch.setattr("cms.slugs.conflicts", free_at_first)
    before = Page.objects.count()
    url = add_url(article_index)
    form = article_form("Laser myths", "vi-lam-dep", "Những lầm tưởng về laser", "")
    response = admin_client.post(url, form, HTTP_REFERER="http://testserver" + url)
    assert response.status_code == 302 and response["Location"].endswith(url)
    [error] = error_messages(response)
    assert "Nothing was saved" in error
    assert Page.objects.count() == before
    assert len(asked) >= 2  # the form, then the save


# -- the other admin forms: the database's rules are form errors ---------------------------------


def test_a_duplicate_red_flag_claim_is_a_form_error(admin_client):
    RedFlagClaim.objects.create(phrase="căng da vĩnh cửu", language="vi")
    before = RedFlagClaim.objects.count()
    url = reverse("wagtailsnippets_editorial_redflagclaim:add")
    typed = unicodedata.normalize("NFD", "căng da vĩnh cửu")  # as some keyboards send it
    response = admin_client.post(url, {"phrase": typed, "language": "vi", "why": "Lý do đã soạn."})
    assert response.status_code == 200
    assert "Lý do đã soạn." in response.content.decode()
    assert RedFlagClaim.objects.count() == before


def test_linking_an_admin_account_to_a_second_doctor_is_a_form_error(admin_client, superuser):
    factories.DoctorFactory(name="Võ Thanh Sang", user=superuser)
    url = reverse("wagtailsnippets_therapies_doctor:add")
    response = admin_client.post(
        url,
        {
            "name": "Nguyễn Văn Hải",
            "credentials_en": "Level I Specialist",
            "credentials_vi": "Bác sĩ Chuyên khoa I",
            "bio_en": "",
            "bio_vi": "Tiểu sử đã soạn.",
            "photo": "",
            "user": str(superuser.pk),
        },
    )
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert "Tiểu sử đã soạn." in response.content.decode()
    assert not Doctor.objects.filter(name="Nguyễn Văn Hải").exists()


def test_approving_a_draft_whose_slug_was_taken_since_rolls_everything_back(
    editor_client, reviewer_client, siblings
):
    """Approval publishes without a form: the clash surfaces at save, and nothing is kept."""
    from wagtail.models import TaskState

    from .test_editorial_review import approve_url, submit

    first, second = siblings
    second.slug_vi = "lieu-trinh-moi"  # the editor's draft renames the Vietnamese slug
    task_state = submit(editor_client, second)
    live = ArticlePage.objects.get(pk=first.pk)
    live.slug_vi = "lieu-trinh-moi"
    live.save_revision().publish()

    url = approve_url(second, task_state)
    edit = reverse("wagtailadmin_pages:edit", args=(second.pk,))
    response = reviewer_client.post(url, {"comment": ""}, HTTP_REFERER="http://testserver" + edit)
    assert response.status_code == 302 and response["Location"].endswith(edit)
    [error] = error_messages(response)
    assert "Nothing was saved" in error and "“Laser care”" in error and "lieu-trinh-moi" in error
    second.refresh_from_db()
    assert second.slug_vi == "lot-da-hoa-hoc"
    assert TaskState.objects.get(pk=task_state.pk).status == "in_progress"
    assert not MedicalReview.objects.filter(page=second).exists()
    # The editor's draft is still the latest revision.
    assert second.get_latest_revision().content["slug_vi"] == "lieu-trinh-moi"
