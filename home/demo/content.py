"""Bilingual demo content, written for this project from the facts of the clinic's source article.

Plain data only: the loader command turns it into pages, snippets and settings.
"""

CLINIC = {
    "clinic_name_en": "Regenerative Aesthetics Clinic",
    "clinic_name_vi": "Phòng khám Thẩm mỹ Tái tạo",
    "hotline": "079 7479 222",
    "zalo_url": "https://zalo.me/0797479222",
    "booking_url": "https://clinic.example/booking",
}

# For whoever loads the demo, printed by the loader: readers never see these.
EDITOR_NOTES = (
    "Fill in the clinic's address (English and Vietnamese) in Settings → Clinic settings; "
    "the footer shows it once it is there.",
    "Replace the booking link (clinic.example) in Settings → Clinic settings.",
    "The doctor's quote in the PRP-vs-exosomes article is sample text: replace it with the "
    "doctor's own words, or remove it, before going live.",
)

DOCTOR = {
    "name": "Võ Thanh Sang",
    "credentials_en": "Level I Specialist",
    "credentials_vi": "Bác sĩ Chuyên khoa I",
    "bio_en": (
        "Specialist doctor in regenerative aesthetics who examines every patient in person before "
        "recommending a treatment."
    ),
    "bio_vi": (
        "Bác sĩ chuyên khoa về thẩm mỹ tái tạo, luôn thăm khám trực tiếp trước khi đề xuất bất kỳ "
        "liệu trình nào."
    ),
}

HOME = {
    "title_en": "Regenerative aesthetics, explained carefully",
    "title_vi": "Thẩm mỹ tái tạo, giải thích cẩn trọng",
    "slug_en": "home",
    "slug_vi": "trang-chu",
    "intro_en": (
        "Plain-language guides to therapies such as PRP and exosomes: what they are, what the "
        "evidence says, and who should be careful."
    ),
    "intro_vi": (
        "Những bài viết dễ hiểu về các liệu pháp như PRP và exosome: bản chất là gì, bằng chứng "
        "khoa học đến đâu và ai cần thận trọng."
    ),
    "search_description_en": "Evidence-minded guides to regenerative aesthetic therapies.",
    "search_description_vi": "Hướng dẫn dựa trên bằng chứng về các liệu pháp thẩm mỹ tái tạo.",
}

THERAPY_INDEX = {
    "title_en": "Therapies",
    "title_vi": "Liệu pháp",
    "slug_en": "therapies",
    "slug_vi": "lieu-phap",
    "intro_en": "Each therapy with its source, its level of evidence and its safety notes.",
    "intro_vi": "Từng liệu pháp cùng nguồn gốc, mức độ bằng chứng và những lưu ý an toàn.",
    "search_description_en": "Regenerative therapies compared on evidence and safety.",
    "search_description_vi": "Các liệu pháp tái tạo so sánh theo bằng chứng và độ an toàn.",
}

ARTICLE_INDEX = {
    "title_en": "Articles",
    "title_vi": "Bài viết",
    "slug_en": "articles",
    "slug_vi": "bai-viet",
    "intro_en": "Educational articles reviewed by our specialist doctors.",
    "intro_vi": "Bài viết giáo dục sức khỏe được bác sĩ chuyên khoa thẩm định.",
    "search_description_en": "Educational articles on regenerative aesthetics.",
    "search_description_vi": "Bài viết giáo dục về thẩm mỹ tái tạo.",
}

PRP = {
    "title_en": "PRP (platelet-rich plasma)",
    "title_vi": "PRP (huyết tương giàu tiểu cầu)",
    "slug_en": "prp",
    "slug_vi": "prp",
    "source": "autologous",
    "evidence_level": "established",
    "summary_en": (
        "A concentrate of platelets prepared from a small sample of your own blood, studied for "
        "longer than most regenerative options."
    ),
    "summary_vi": (
        "Phần huyết tương cô đặc tiểu cầu được tách từ một lượng nhỏ máu của chính bạn, đã được "
        "nghiên cứu lâu hơn phần lớn các lựa chọn tái tạo khác."
    ),
    "what_it_is_en": (
        "<p>A little of your blood is drawn and spun in a centrifuge. The layer rich in platelets, "
        "which carry growth factors, is injected back into the skin or scalp, where it may help "
        "tissue repair and collagen production.</p>"
    ),
    "what_it_is_vi": (
        "<p>Bác sĩ lấy một ít máu của bạn rồi quay ly tâm. Lớp huyết tương giàu tiểu cầu, nơi chứa "
        "nhiều yếu tố tăng trưởng, được đưa trở lại vào da hoặc da đầu để có thể hỗ trợ phục hồi "
        "mô và tăng sinh collagen.</p>"
    ),
    "personalisation_en": (
        "Made from your own blood for you alone, so allergy and rejection are unlikely."
    ),
    "personalisation_vi": (
        "Được chế từ chính máu của bạn và chỉ dùng cho bạn, nên ít nguy cơ dị ứng hay đào thải."
    ),
    "common_uses_en": (
        "Pattern hair loss\n"
        "Skin texture, often together with microneedling\n"
        "Some orthopaedic injuries"
    ),
    "common_uses_vi": (
        "Rụng tóc kiểu hói\n"
        "Cải thiện kết cấu da, thường kết hợp lăn kim\n"
        "Một số chấn thương chỉnh hình"
    ),
    "regulatory_status_en": (
        "Many clinical trials exist, but results vary because platelet concentration, spin cycles "
        "and activation differ between clinics."
    ),
    "regulatory_status_vi": (
        "Đã có nhiều thử nghiệm lâm sàng, nhưng kết quả chưa đồng đều vì nồng độ tiểu cầu, số lần "
        "quay ly tâm và cách hoạt hóa khác nhau giữa các cơ sở."
    ),
    "safety_notes_en": (
        "People with bleeding disorders or on anticoagulants, people with autoimmune disease or a "
        "local infection, and pregnant or breastfeeding women need a doctor's assessment first."
    ),
    "safety_notes_vi": (
        "Người có rối loạn đông máu hoặc đang dùng thuốc chống đông, người mắc bệnh tự miễn hay "
        "nhiễm trùng tại chỗ, phụ nữ mang thai hoặc cho con bú cần được bác sĩ đánh giá trước."
    ),
    "search_description_en": "What PRP is, what it is used for and how strong the evidence is.",
    "search_description_vi": (
        "PRP là gì, dùng cho trường hợp nào và bằng chứng khoa học mạnh đến đâu."
    ),
}

EXOSOMES = {
    "title_en": "Exosomes",
    "title_vi": "Exosome",
    "slug_en": "exosomes",
    "slug_vi": "exosome",
    "source": "donor",
    "evidence_level": "early",
    "summary_en": (
        "Nanoscale vesicles released by cells, usually from donor stem-cell lines, that carry "
        "signalling molecules; promising but still early in human research."
    ),
    "summary_vi": (
        "Những túi siêu nhỏ do tế bào tiết ra, thường từ dòng tế bào gốc của người hiến, mang các "
        "phân tử tín hiệu; nhiều hứa hẹn nhưng nghiên cứu trên người còn ở giai đoạn đầu."
    ),
    "what_it_is_en": (
        "<p>Exosomes are extracellular vesicles carrying proteins, lipids and RNA. Aesthetic "
        "products usually derive them from mesenchymal stem cells, hoping they act as messengers "
        "that calm inflammation and support regeneration without transplanting living cells.</p>"
    ),
    "what_it_is_vi": (
        "<p>Exosome là các túi ngoại bào chứa protein, lipid và RNA. Sản phẩm thẩm mỹ thường lấy "
        "chúng từ tế bào gốc trung mô, với kỳ vọng chúng đóng vai trò “sứ giả” giúp giảm viêm và "
        "hỗ trợ tái tạo mà không cần cấy tế bào sống.</p>"
    ),
    "personalisation_en": "A ready-made preparation, not made from your own body.",
    "personalisation_vi": "Là chế phẩm làm sẵn, không được tạo ra từ cơ thể của bạn.",
    "common_uses_en": (
        "Rejuvenation protocols\nAftercare following laser or microneedling (still needs more data)"
    ),
    "common_uses_vi": (
        "Các liệu trình trẻ hóa da\nChăm sóc sau laser hoặc lăn kim (vẫn cần thêm dữ liệu)"
    ),
    "regulatory_status_en": (
        "Sources vary widely and are hard to standardise; in many countries aesthetic exosome "
        "products are not approved as a treatment, and regulators have warned about unregulated "
        "products."
    ),
    "regulatory_status_vi": (
        "Nguồn gốc rất đa dạng và khó chuẩn hóa; ở nhiều nước, sản phẩm exosome dùng trong thẩm mỹ "
        "chưa được phê duyệt là phương pháp điều trị, và cơ quan quản lý từng cảnh báo về sản phẩm "
        "trôi nổi."
    ),
    "safety_notes_en": (
        "Ask where the preparation comes from and whether it is licensed. The same cautions as for "
        "PRP apply to bleeding disorders, autoimmune disease, infection, pregnancy and "
        "breastfeeding."
    ),
    "safety_notes_vi": (
        "Hãy hỏi rõ nguồn gốc và giấy phép của chế phẩm. Những lưu ý như với PRP cũng áp dụng cho "
        "người rối loạn đông máu, bệnh tự miễn, nhiễm trùng, phụ nữ mang thai và cho con bú."
    ),
    "search_description_en": (
        "What exosomes are, where they come from and why the evidence is still early."
    ),
    "search_description_vi": (
        "Exosome là gì, có nguồn gốc từ đâu và vì sao bằng chứng còn ở giai đoạn đầu."
    ),
}

ARTICLE = {
    "title_en": "Exosomes and PRP: how do they really differ?",
    "title_vi": "Exosome và PRP: thực sự khác nhau thế nào?",
    "slug_en": "exosomes-vs-prp",
    "slug_vi": "exosome-va-prp",
    "lead_en": (
        "Adverts often pitch PRP and exosomes as twin rejuvenation cures. Their nature, evidence "
        "and regulation are in fact very different, and knowing how helps you keep expectations "
        "realistic."
    ),
    "lead_vi": (
        "Quảng cáo thường giới thiệu PRP và exosome như hai “thần dược” trẻ hóa. Thực tế, bản "
        "chất, bằng chứng khoa học và khung pháp lý của chúng rất khác nhau; hiểu đúng giúp bạn kỳ "
        "vọng thực tế hơn."
    ),
    "search_description_en": "PRP and exosomes compared: nature, evidence, regulation and safety.",
    "search_description_vi": "So sánh PRP và exosome: bản chất, bằng chứng, quản lý và an toàn.",
}

COMPARISON_ROWS = [
    (
        "Nature",
        "Bản chất",
        ("A platelet concentrate from your own blood", "Phần cô đặc tiểu cầu từ máu của chính bạn"),
        (
            "Nanoscale signalling vesicles, usually from donor stem cells",
            "Túi tín hiệu kích thước nano, thường từ tế bào gốc bên ngoài",
        ),
    ),
    (
        "Personalisation",
        "Cá nhân hóa",
        ("Autologous: made from you, for you", "Tự thân: làm từ bạn, dành cho bạn"),
        ("A ready-made preparation", "Chế phẩm làm sẵn"),
    ),
    (
        "Research maturity",
        "Mức độ nghiên cứu",
        (
            "Longer history and more clinical trials",
            "Lịch sử lâu hơn, nhiều thử nghiệm lâm sàng hơn",
        ),
        (
            "Early: mostly laboratory and animal data",
            "Giai đoạn đầu: chủ yếu dữ liệu phòng thí nghiệm và trên động vật",
        ),
    ),
    (
        "Standardisation and regulation",
        "Chuẩn hóa và quản lý",
        ("Protocols vary between clinics", "Quy trình khác nhau giữa các cơ sở"),
        (
            "Less standardised, with open licensing and quality questions",
            "Kém chuẩn hóa hơn, còn nhiều câu hỏi về cấp phép và kiểm soát chất lượng",
        ),
    ),
    (
        "Reasonable expectations",
        "Kỳ vọng hợp lý",
        (
            "A supportive option; results are partial and individual",
            "Lựa chọn hỗ trợ; kết quả có giới hạn và tùy từng người",
        ),
        (
            "A supportive option with even less certainty",
            "Lựa chọn hỗ trợ, mức chắc chắn còn thấp hơn",
        ),
    ),
]

CLAIMS = [
    (
        "complete skin regeneration",
        "tái tạo da hoàn toàn",
        "No therapy rebuilds skin entirely; results are partial and vary from person to person.",
        "Không liệu pháp nào tái tạo da trọn vẹn; hiệu quả chỉ một phần và khác nhau ở mỗi người.",
    ),
    (
        "permanent rejuvenation",
        "trẻ hóa vĩnh viễn",
        "Skin keeps ageing; any improvement fades with time.",
        "Da vẫn tiếp tục lão hóa; mọi cải thiện đều giảm dần theo thời gian.",
    ),
    (
        "a replacement for surgery",
        "thay thế phẫu thuật",
        "Injections cannot do what a surgical procedure does.",
        "Tiêm không thể đạt được điều mà một ca phẫu thuật làm được.",
    ),
    (
        "instant results for everyone",
        "hiệu quả tức thì cho mọi người",
        "Results depend on constitution, age, underlying conditions and the provider's skill.",
        "Kết quả phụ thuộc cơ địa, tuổi, bệnh nền và tay nghề người thực hiện.",
    ),
]

SAFETY_GROUPS = [
    (
        ("Individual constitution", "Cơ địa từng người"),
        [
            (
                "Bleeding disorders or anticoagulant medicines need a doctor's assessment.",
                "Người rối loạn đông máu hoặc đang dùng thuốc chống đông cần được bác sĩ đánh giá.",
            ),
            (
                (
                    "Autoimmune disease, a local infection, pregnancy or breastfeeding call for "
                    "caution."
                ),
                "Bệnh tự miễn, nhiễm trùng tại chỗ, mang thai hoặc cho con bú đều cần thận trọng.",
            ),
        ],
    ),
    (
        ("Sterility and product source", "Vô khuẩn và nguồn gốc sản phẩm"),
        [
            (
                "Drawing, storing and injecting must stay sterile.",
                "Việc lấy, bảo quản và tiêm phải luôn đảm bảo vô khuẩn.",
            ),
            (
                "For exosomes, ask for the preparation's origin and licence before treatment.",
                "Với exosome, hãy hỏi rõ nguồn gốc và giấy phép của chế phẩm trước khi điều trị.",
            ),
        ],
    ),
    (
        ("Unwanted effects", "Tác dụng không mong muốn"),
        [
            (
                "Swelling, bruising and pain where you were treated can happen.",
                "Có thể sưng, bầm tím và đau tại vùng điều trị.",
            ),
            (
                "Infection and reactions are more likely at a substandard facility.",
                "Nguy cơ nhiễm trùng và phản ứng tăng lên nếu thực hiện ở cơ sở không đạt chuẩn.",
            ),
        ],
    ),
]

QUOTE = (
    "PRP stands on firmer research ground; exosomes still need more clinical evidence and "
    "tighter regulation. Treat both as supportive options weighed case by case after an "
    "in-person examination, with realistic goals.",
    "PRP có nền tảng nghiên cứu vững hơn, còn exosome vẫn cần thêm bằng chứng lâm sàng và khung "
    "quản lý chặt chẽ hơn. Hãy xem cả hai là lựa chọn hỗ trợ, cân nhắc cho từng trường hợp sau "
    "khi thăm khám trực tiếp, với mục tiêu thực tế.",
)
QUOTE_CONTEXT = (
    "Summarised from the clinic's article on PRP and exosomes.",
    "Tóm lược từ bài viết của phòng khám về PRP và exosome.",
)

# What earlier versions of this demo loaded where readers see it (notes meant for editors,
# the doctor's name without its diacritics): the loader puts right whatever is still as loaded.
RETIRED = {
    "doctor_name": "Vo Thanh Sang",
    "address": (
        "Demo address: replace in Settings → Clinic settings.",
        "Địa chỉ mẫu: hãy thay trong Cài đặt → Cài đặt phòng khám.",
    ),
    "quote_context": (
        "Sample content for the demo, paraphrased from the clinic's article.",
        "Nội dung mẫu cho bản demo, diễn giải từ bài viết của phòng khám.",
    ),
}

# Short bodies of the therapy pages: what to remember, and how to book.
THERAPY_POINTS = {
    "prp": (
        ("Before you decide", "Trước khi quyết định"),
        [
            (
                "Made from your own blood, so rejection is unlikely.",
                "Được làm từ máu của chính bạn nên hiếm khi bị đào thải.",
            ),
            (
                "Results depend on how each clinic prepares it.",
                "Kết quả phụ thuộc vào cách mỗi cơ sở chuẩn bị.",
            ),
            ("Usually several sessions are needed.", "Thường cần nhiều buổi điều trị."),
        ],
    ),
    "exosomes": (
        ("Before you decide", "Trước khi quyết định"),
        [
            ("Human evidence is still limited.", "Bằng chứng trên người vẫn còn hạn chế."),
            (
                "Ask for the product's origin and licence.",
                "Hãy hỏi rõ nguồn gốc và giấy phép của sản phẩm.",
            ),
            (
                "Expect a supportive effect, not a guaranteed one.",
                "Hãy kỳ vọng tác dụng hỗ trợ, không phải kết quả chắc chắn.",
            ),
        ],
    ),
}
THERAPY_CTA = (
    ("Is this therapy right for you?", "Liệu pháp này có phù hợp với bạn?"),
    (
        "A specialist examines you in person before recommending anything.",
        "Bác sĩ chuyên khoa sẽ thăm khám trực tiếp trước khi đề xuất bất kỳ liệu trình nào.",
    ),
)
