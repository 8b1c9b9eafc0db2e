"""Seed the red-flag claim list: the claims the clinic's source article warns against, and common ones.

Not seeded: "thần dược" ("miracle cure"). The demo article's lead quotes it, in quotation
marks, to describe how adverts talk; editors can add it from the admin if they want.
"""

from django.db import migrations

CLAIMS = [
    # (phrase, language, why)
    ("complete skin regeneration", "en",
     "No therapy rebuilds skin entirely; results are partial and vary from person to person."),
    ("permanent rejuvenation", "en", "Skin keeps ageing; any improvement fades with time."),
    ("a replacement for surgery", "en", "Injections cannot do what a surgical procedure does."),
    ("instant results for everyone", "en",
     "Results depend on constitution, age, underlying conditions and the provider's skill."),
    ("miracle", "en", "Regenerative therapies are supportive options, not miracles."),
    ("guaranteed results", "en", "No regenerative therapy can guarantee the same outcome for everyone."),
    ("100% safe", "en", "Every medical procedure carries risks such as swelling, bruising or infection."),
    ("no side effects", "en", "Swelling, bruising, pain and infection can happen."),
    ("tái tạo da hoàn toàn", "vi",
     "Không liệu pháp nào tái tạo da trọn vẹn; hiệu quả chỉ một phần và khác nhau ở mỗi người."),
    ("trẻ hóa vĩnh viễn", "vi", "Da vẫn tiếp tục lão hóa; mọi cải thiện đều giảm dần theo thời gian."),
    ("thay thế phẫu thuật", "vi", "Tiêm không thể đạt được điều mà một ca phẫu thuật làm được."),
    ("hiệu quả tức thì cho mọi người", "vi",
     "Kết quả phụ thuộc cơ địa, tuổi, bệnh nền và tay nghề người thực hiện."),
    ("phép màu", "vi", "Liệu pháp tái tạo là lựa chọn hỗ trợ, không phải phép màu."),
    ("cam kết hiệu quả", "vi", "Không liệu pháp tái tạo nào bảo đảm cùng một kết quả cho mọi người."),
    ("đảm bảo hiệu quả", "vi", "Không liệu pháp tái tạo nào bảo đảm cùng một kết quả cho mọi người."),
    ("an toàn 100%", "vi", "Mọi can thiệp y khoa đều có rủi ro như sưng, bầm tím hay nhiễm trùng."),
    ("100% an toàn", "vi", "Mọi can thiệp y khoa đều có rủi ro như sưng, bầm tím hay nhiễm trùng."),
    ("không có tác dụng phụ", "vi", "Có thể sưng, bầm tím, đau và nhiễm trùng."),
]


def seed(apps, schema_editor):
    RedFlagClaim = apps.get_model("editorial", "RedFlagClaim")
    for phrase, language, why in CLAIMS:
        RedFlagClaim.objects.get_or_create(phrase=phrase, language=language, defaults={"why": why})


def unseed(apps, schema_editor):
    RedFlagClaim = apps.get_model("editorial", "RedFlagClaim")
    for phrase, language, _why in CLAIMS:
        RedFlagClaim.objects.filter(phrase=phrase, language=language).delete()


class Migration(migrations.Migration):
    dependencies = [("editorial", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
