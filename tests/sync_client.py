"""An external site's mirror of the API, built only from ``/api/v1/sync/`` (tests' helper)."""


def walk(client, **params):
    """Follow one sync (full or delta) to its end: ``(documents by id, removed ids, token)``."""
    documents, removed = {}, []
    while True:
        response = client.get("/api/v1/sync/", params)
        assert response.status_code == 200, response.content
        assert response["Cache-Control"] == "private, no-store"
        data = response.json()
        assert len(data["documents"]) + len(data["removed"]) <= 100
        documents |= {document["id"]: document for document in data["documents"]}
        removed += data["removed"]
        if data["next_page"] is None:
            assert data["next_sync_token"]
            return documents, removed, data["next_sync_token"]
        assert data["next_sync_token"] is None
        params = {"cursor": data["next_page"]}


class Mirror:
    """What a client keeps: every page of one language by id, and its last sync token."""

    def __init__(self, client, lang):
        self.client = client
        self.lang = lang
        self.pages, removed, self.token = walk(client, lang=lang)
        assert removed == []
        self.syncs = 1

    def update(self):
        changed, removed, self.token = walk(self.client, token=self.token)
        assert not set(changed) & set(removed)
        for page_id in removed:
            self.pages.pop(page_id, None)
        self.pages |= changed
        self.syncs += 1
        return changed, removed


def api_pages(client, lang):
    """What the list and detail endpoints show readers of ``lang``: detail JSON by id."""
    ids, offset = [], 0
    while True:
        response = client.get("/api/v1/pages/", {"lang": lang, "limit": 100, "offset": offset})
        assert response.status_code == 200
        data = response.json()
        ids += [item["id"] for item in data["items"]]
        offset += 100
        if offset >= data["count"]:
            break
    pages = {}
    for page_id in ids:
        response = client.get(f"/api/v1/pages/{page_id}/", {"lang": lang})
        assert response.status_code == 200
        pages[page_id] = response.json()
    return pages
