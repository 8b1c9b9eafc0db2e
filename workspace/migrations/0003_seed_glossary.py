"""Seed the glossary with the medical terms of the clinic's articles.

The key is written here as the fold of these plain-ASCII terms (lower case, single
spaces), so this migration does not depend on the matching code as it changes.
"""

from django.db import migrations

# (English, approved Vietnamese, keep as is, note)
TERMS = [
    ("platelet-rich plasma", "huyết tương giàu tiểu cầu", False,
     "Viết đầy đủ ở lần xuất hiện đầu tiên, sau đó dùng PRP."),
    ("PRP", "", True, "Viết tắt quốc tế; giữ nguyên, không dịch thành HTGTC."),
    ("exosome", "exosome (túi ngoại bào)", True,
     "Giữ nguyên thuật ngữ; có thể giải thích là túi ngoại bào ở lần đầu."),
    ("autologous", "tự thân", False, "Lấy từ chính cơ thể người điều trị."),
    ("regenerative", "tái tạo", False, "Như trong “y học tái tạo”."),
    ("dermatologist", "bác sĩ da liễu", False, ""),
    ("stem cell", "tế bào gốc", False, ""),
    ("growth factor", "yếu tố tăng trưởng", False, ""),
    ("microneedling", "lăn kim", False, "Thủ thuật tạo vi tổn thương bằng kim nhỏ."),
    ("collagen", "", True, "Tên chất, giữ nguyên."),
    ("laser", "", True, "Giữ nguyên."),
    ("centrifuge", "ly tâm", False, "Quay ly tâm mẫu máu để tách huyết tương."),
    ("sterile", "vô khuẩn", False, "Dùng “vô khuẩn”, thống nhất trong toàn bộ nội dung."),
    ("rejuvenation", "trẻ hóa", False, "Cả “trẻ hóa” và “trẻ hoá” đều được chấp nhận."),
    ("inflammation", "viêm", False, ""),
]


def seed(apps, schema_editor):
    Term = apps.get_model("workspace", "Term")
    for english, vietnamese, keep_as_is, note in TERMS:
        Term.objects.get_or_create(
            key=" ".join(english.casefold().split()),
            defaults={
                "english": english,
                "vietnamese": vietnamese,
                "keep_as_is": keep_as_is,
                "note": note,
            },
        )


def unseed(apps, schema_editor):
    Term = apps.get_model("workspace", "Term")
    Term.objects.filter(key__in=[" ".join(t[0].casefold().split()) for t in TERMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workspace", "0002_glossary_term")]

    operations = [migrations.RunPython(seed, unseed)]
