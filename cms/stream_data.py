"""Raw StreamField data, as Wagtail stores it (JSON of blocks, lists and values)."""


def is_list_item(item):
    """True for a ListBlock item stored as ``{"type": "item", "value": …, "id": …}``.

    Wagtail stores list items in that form and still reads lists saved before it as bare
    values, so code that walks raw stream data meets both.
    """
    return (
        isinstance(item, dict) and item.get("type") == "item" and "value" in item and "id" in item
    )
