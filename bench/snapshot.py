"""Write the static ceiling files: the exact bodies of the measured responses.

Run after collectstatic and before the servers start (whitenoise indexes
STATIC_ROOT once, at startup). Prints the demo article's id and the sizes as JSON.
``python -m bench.snapshot IDS.txt`` also writes the ids of the generated articles there,
one a line, in tree order (the mixed load's Zipf ranks, bench/zipf.lua).
"""

import json
import sys
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from therapies.models import ArticlePage  # noqa: E402

ARTICLE_VI_PATH = "/vi/bai-viet/exosome-va-prp/"


def main():
    article = ArticlePage.objects.get(slug_en="exosomes-vs-prp")
    client = Client(HTTP_HOST="127.0.0.1")
    targets = {
        "detail.json": f"/api/v1/pages/{article.pk}/?lang=vi",
        "list.json": "/api/v1/pages/?type=article&limit=20",
        "page.html": ARTICLE_VI_PATH,
    }
    out = Path(settings.STATIC_ROOT) / "bench"
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, url in targets.items():
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        (out / name).write_bytes(response.content)
        sizes[name] = len(response.content)
    info = {"article_id": article.pk, "page_path": ARTICLE_VI_PATH, "sizes": sizes}
    if len(sys.argv) > 1:
        generated = ArticlePage.objects.live().filter(slug_en__startswith="generated-article-")
        ids = list(generated.order_by("path").values_list("pk", flat=True))
        Path(sys.argv[1]).write_text("".join(f"{pk}\n" for pk in ids))
        info["generated_articles"] = len(ids)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
