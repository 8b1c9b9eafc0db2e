"""Load the bilingual demo content: home, therapies, the PRP-vs-exosomes article,
a doctor, settings.

Idempotent: pages and snippets are found by their English slug or name and
created only when missing, so running it twice leaves one copy of everything
and never overwrites an editor's changes.

The demo doctor has reviewed every language of the therapies and the article it loads
(recorded as medical reviews), so each language is approved and goes live when
published, with the production rule (``RELEASE_REVIEW_REQUIRED_FOR``, docs/RELEASES.md).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation
from wagtail.models import Page, Site

from cms.language import SUPPORTED_LANGUAGES
from cms.translations import is_available
from editorial.models import MedicalReview
from editorial.review import record_review
from editorial.status import supports_review, text_digest
from home.demo import content as demo
from home.models import ClinicSettings, HomePage
from therapies.models import ArticleIndexPage, ArticlePage, Doctor, TherapyIndexPage, TherapyPage


def _pair(pair, lang):
    return pair[0] if lang == "en" else pair[1]


def article_body(lang, prp, exosomes, doctor):
    """The article's StreamField in one language, as raw block data."""
    rows = [
        {
            "dimension": _pair((en, vi), lang),
            "values": [_pair(prp_value, lang), _pair(exo_value, lang)],
        }
        for en, vi, prp_value, exo_value in demo.COMPARISON_ROWS
    ]
    t = {
        "en": {
            "what": "Two very different therapies",
            "intro": (
                "<p>PRP is prepared from your own blood; exosomes are a ready-made preparation "
                "derived from cells grown outside your body. The question is not which is stronger "
                "but how much evidence stands behind each, and how reliable the process is.</p>"
            ),
            "cmp_title": "PRP and exosomes side by side",
            "takeaway": "Newer and more heavily advertised does not mean more effective or safer.",
            "claims_title": "Advertising claims to be wary of",
            "claims_intro": (
                "Firm guarantees are a warning sign, especially for exosomes, whose evidence is "
                "still young."
            ),
            "safety_title": "Safety notes",
            "principle": (
                "Have these procedures only at a licensed medical facility, after a specialist's "
                "examination, with products of known origin."
            ),
            "points_title": "In short",
            "points": [
                "PRP has more clinical data; exosomes are still early.",
                "Both are supportive therapies with results that differ between people.",
                "An in-person examination decides whether either suits you.",
            ],
            "cta_title": "Weighing PRP or exosomes?",
            "cta_text": "Book an examination and get advice for your own skin and health.",
        },
        "vi": {
            "what": "Hai liệu pháp rất khác nhau",
            "intro": (
                "<p>PRP được chế từ chính máu của bạn; exosome là chế phẩm làm sẵn, có nguồn gốc "
                "từ tế bào nuôi cấy bên ngoài cơ thể. Điều cần hỏi không phải là cái nào mạnh hơn, "
                "mà là mỗi liệu pháp có bao nhiêu bằng chứng và quy trình đáng tin cậy đến đâu.</p>"
            ),
            "cmp_title": "So sánh PRP và exosome",
            "takeaway": (
                "Mới hơn và được quảng cáo rầm rộ hơn không có nghĩa là hiệu quả hơn hay an toàn "
                "hơn."
            ),
            "claims_title": "Những lời quảng cáo cần dè chừng",
            "claims_intro": (
                "Cam kết chắc chắn là dấu hiệu đáng ngờ, nhất là với exosome, một lĩnh vực còn rất "
                "mới về bằng chứng."
            ),
            "safety_title": "Lưu ý an toàn",
            "principle": (
                "Chỉ thực hiện tại cơ sở y tế được cấp phép, sau khi bác sĩ chuyên khoa thăm khám, "
                "với sản phẩm rõ nguồn gốc."
            ),
            "points_title": "Tóm lại",
            "points": [
                "PRP có nhiều dữ liệu lâm sàng hơn; exosome vẫn ở giai đoạn đầu.",
                "Cả hai đều là liệu pháp hỗ trợ, kết quả khác nhau ở mỗi người.",
                "Thăm khám trực tiếp mới quyết định được liệu pháp nào phù hợp với bạn.",
            ],
            "cta_title": "Bạn đang cân nhắc PRP hay exosome?",
            "cta_text": (
                "Hãy đặt lịch thăm khám để được tư vấn phù hợp với làn da và sức khỏe của bạn."
            ),
        },
    }[lang]
    return [
        {"type": "heading", "value": {"text": t["what"], "level": "h2"}},
        {"type": "paragraph", "value": t["intro"]},
        {
            "type": "comparison",
            "value": {
                "title": t["cmp_title"],
                "therapies": [prp.pk, exosomes.pk],
                "rows": rows,
                "takeaway": t["takeaway"],
            },
        },
        {
            "type": "doctor_quote",
            "value": {
                "doctor": doctor.pk,
                "quote": _pair(demo.QUOTE, lang),
                "context": _pair(demo.QUOTE_CONTEXT, lang),
            },
        },
        {
            "type": "claims_warning",
            "value": {
                "title": t["claims_title"],
                "intro": t["claims_intro"],
                "claims": [
                    {
                        "claim": claim_en if lang == "en" else claim_vi,
                        "why": why_en if lang == "en" else why_vi,
                    }
                    for claim_en, claim_vi, why_en, why_vi in demo.CLAIMS
                ],
            },
        },
        {
            "type": "safety_notes",
            "value": {
                "title": t["safety_title"],
                "groups": [
                    {
                        "heading": _pair(heading, lang),
                        "points": [_pair(p, lang) for p in points],
                    }
                    for heading, points in demo.SAFETY_GROUPS
                ],
                "principle": t["principle"],
            },
        },
        {
            "type": "key_points",
            "value": {
                "title": t["points_title"],
                "points": t["points"],
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "title": t["cta_title"],
                "text": t["cta_text"],
                "show_hotline": True,
                "show_zalo": True,
                "show_booking": True,
            },
        },
    ]


def therapy_body(lang, key):
    """A therapy page's body in one language: key points, then an invitation to book."""
    title, points = demo.THERAPY_POINTS[key]
    cta_title, cta_text = demo.THERAPY_CTA
    return [
        {
            "type": "key_points",
            "value": {"title": _pair(title, lang), "points": [_pair(p, lang) for p in points]},
        },
        {
            "type": "call_to_action",
            "value": {
                "title": _pair(cta_title, lang),
                "text": _pair(cta_text, lang),
                "show_hotline": True,
                "show_zalo": True,
                "show_booking": True,
            },
        },
    ]


def therapy(data, key, doctor):
    return dict(
        data,
        body_en=therapy_body("en", key),
        body_vi=therapy_body("vi", key),
        reviewed_by=doctor,
        last_reviewed=timezone.localdate(),
    )


class Command(BaseCommand):
    help = "Load the bilingual (English/Vietnamese) demo content. Safe to run more than once."

    def log(self, message):
        self.stdout.write(message)

    @transaction.atomic
    def handle(self, *args, **options):
        with translation.override("en"):
            self.retire_old_demo_text()  # first, so the renamed doctor is found, not duplicated
            home = self.home_page()
            therapy_index = self.child(
                home, TherapyIndexPage, demo.THERAPY_INDEX, show_in_menus=True
            )
            article_index = self.child(
                home, ArticleIndexPage, demo.ARTICLE_INDEX, show_in_menus=True
            )
            doctor = self.doctor()
            prp = self.child(therapy_index, TherapyPage, therapy(demo.PRP, "prp", doctor))
            exosomes = self.child(
                therapy_index, TherapyPage, therapy(demo.EXOSOMES, "exosomes", doctor)
            )
            self.child(
                article_index,
                ArticlePage,
                dict(
                    demo.ARTICLE,
                    body_en=article_body("en", prp, exosomes, doctor),
                    body_vi=article_body("vi", prp, exosomes, doctor),
                    reviewed_by=doctor,
                    last_reviewed=timezone.localdate(),
                ),
            )
            self.clinic_settings(home)
        self.log(self.style.SUCCESS("Demo content is in place (English and Vietnamese)."))
        for note in demo.EDITOR_NOTES:
            self.log(f"  • {note}")

    def home_page(self):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site and isinstance(site.root_page.specific, HomePage):
            return site.root_page.specific
        root = Page.get_first_root_node()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        placeholder = site.root_page if site.pk else None
        site.root_page = root
        site.site_name = demo.CLINIC["clinic_name_en"]
        site.save()
        if placeholder and placeholder.depth == 2 and not placeholder.get_children().exists():
            # Wagtail's "Welcome to your new Wagtail site!" page: it holds the "home" slug.
            placeholder.delete()
            self.log("Removed Wagtail's placeholder welcome page.")
        home = HomePage.objects.first()
        if home is None:
            home = root.add_child(instance=self.build(HomePage, demo.HOME))
            home.save_revision().publish()
            self.log("Created the home page.")
        site.root_page = home
        site.save()
        return home

    def build(self, model, data, **extra):
        fields = dict(data, **extra)
        fields.setdefault("title", data["title_en"])
        fields.setdefault("slug", data["slug_en"])
        return model(**fields)

    def child(self, parent, model, data, **extra):
        existing = model.objects.child_of(parent).filter(slug_en=data["slug_en"]).first()
        if existing:
            return existing
        page = parent.add_child(instance=self.build(model, data, **extra))
        self.publish(page)
        self.log(f"Created {model._meta.verbose_name}: {data['title_en']}")
        return page

    def publish(self, page):
        """Save and publish ``page``, its doctor's review of its text recorded first."""
        revision = page.save_revision()
        doctor = getattr(page, "reviewed_by", None)
        if doctor is not None and supports_review(page):
            reviewed = [
                lang
                for lang in SUPPORTED_LANGUAGES
                if is_available(page, lang)
                and not MedicalReview.objects.filter(
                    page_id=page.pk, lang=lang, text_digest=text_digest(page, lang)
                ).exists()
            ]
            if reviewed:
                record_review(page, doctor, revision=revision, languages=reviewed)
        revision.publish()

    def doctor(self):
        doctor = Doctor.objects.filter(name=demo.DOCTOR["name"]).first()
        if doctor is None:
            doctor = Doctor.objects.create(**demo.DOCTOR)
            self.log(f"Created doctor: {doctor.name}")
        return doctor

    def clinic_settings(self, home):
        site = Site.objects.get(root_page=home)
        clinic = ClinicSettings.for_site(site)
        if not clinic.hotline:
            for field, value in demo.CLINIC.items():
                setattr(clinic, field, value)
            clinic.save()
            self.log("Filled in the clinic settings.")

    def retire_old_demo_text(self):
        """Put right what an earlier demo loaded where readers see it, if still as loaded.

        The doctor's name gets its diacritics; notes meant for editors leave the
        footer's address and the quote's context. Anything an editor changed stays.
        """
        retired = demo.RETIRED
        for doctor in Doctor.objects.filter(name=retired["doctor_name"]):
            doctor.name = demo.DOCTOR["name"]
            doctor.save()
            self.log(f"Renamed doctor: {doctor.name}")
        for clinic in ClinicSettings.objects.filter(address_en=retired["address"][0]):
            if clinic.address_vi in ("", retired["address"][1]):
                clinic.address_en = clinic.address_vi = ""
                clinic.save()
                self.log("Removed the placeholder address from the clinic settings.")
        for article in ArticlePage.objects.filter(slug_en=demo.ARTICLE["slug_en"]):
            if self.replace_quote_context(article):
                self.publish(article)
                self.log(f"Replaced the editors' note under the quote in: {article.title_en}")

    def replace_quote_context(self, page):
        """The retired quote context replaced in ``page``'s bodies; True if there was one."""
        changed = False
        pairs = zip(demo.RETIRED["quote_context"], demo.QUOTE_CONTEXT, strict=True)
        for lang, (old, new) in zip(("en", "vi"), pairs, strict=True):
            blocks = [dict(block) for block in getattr(page, f"body_{lang}").raw_data]
            found = [
                block
                for block in blocks
                if block["type"] == "doctor_quote" and block["value"].get("context") == old
            ]
            for block in found:
                block["value"] = dict(block["value"], context=new)
            if found:
                setattr(page, f"body_{lang}", blocks)
                changed = True
        return changed
