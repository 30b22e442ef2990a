"""Reading a desk's list as its reader sees it: how many records the page shows in all."""

from django.test import Client

from liaison.leadership import figures, present


def listed(client: Client, url: str) -> int:
    """The count a list page shows for ``url`` (each desk's page keeps it in its context)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    context = response.context
    if "count" in context:  # the board's groups
        return context["count"]
    if "days" in context:  # the board: the arrived of its day
        return sum(d.tally.arrived for d in context["days"] if d.day == context["day"])
    if "page" in context and context["page"] is not None:  # paginated desks' lists
        return context["page"].paginator.count
    if "listing" in context:  # the arrivals list
        return context["listing"].page.paginator.count
    for name in ("incidents", "conferences"):
        if name in context:
            return len(context[name])
    raise AssertionError(f"no count on {url}")


def linked(snap: dict, user) -> list[tuple[str, int, str]]:
    """Every figure of a snapshot with its list's URL for ``user``: (key, value, url)."""
    return [
        (key, cell["value"], present.link_of(cell, user))
        for key, cell in figures.flat(snap).items()
        if present.link_of(cell, user)
    ]


def assert_closed_loop(snap: dict) -> None:
    """arrived = at the airport + in transit + received + in hospital + left the city, for the
    day's new arrivals, the totals, every day and every flight of the briefing."""
    flat = figures.flat(snap)
    groups = figures.GROUP_KEYS
    prefixes = ["pipeline.new", "pipeline.total"]
    prefixes += sorted(
        {k.rsplit(".", 1)[0] for k in flat if k.startswith(("pipeline.day.", "pipeline.flight."))}
    )
    checked = 0
    for prefix in prefixes:
        arrived = flat[f"{prefix}.arrived"]["value"]
        assert arrived == sum(flat[f"{prefix}.{g}"]["value"] for g in groups), prefix
        checked += 1
    received = flat["pipeline.total.received"]["value"]
    assert (
        received
        == flat["pipeline.total.in_quarantine"]["value"] + flat["pipeline.total.released"]["value"]
    )
    assert checked >= 2 + figures.DAYS
