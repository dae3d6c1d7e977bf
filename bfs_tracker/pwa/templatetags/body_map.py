from django import template

from bfs_tracker.pwa.body_map import BACK, FRONT
from bfs_tracker.pwa.selectors import body_heat, heat_from_counts

register = template.Library()


@register.inclusion_tag("logbook/_body_map.html")
def body_map(heat: dict | None = None, caption: str = "") -> dict:
    """The figure, front and back. Without heat: buttons that add twitches to the day form (body-map.js).

    heat: {"calf:left": (level 0-5, description)} shades each region by how much it twitched (dashboard).
    """
    views = []
    for name, regions in (("front", FRONT), ("back", BACK)):
        shapes = []
        for region in regions:
            level, description = (heat or {}).get(region.key, (0, "no twitching logged"))
            shapes.append({"region": region, "level": level, "description": description})
        views.append({"name": name, "title": name.capitalize(), "shapes": shapes})
    return {"views": views, "heat": heat is not None, "caption": caption}


@register.inclusion_tag("logbook/_body_heat_map.html", takes_context=True)
def body_heat_map(context, start, end) -> dict:
    """The dashboard's "Where it twitched" card for the signed-in user over [start, end]: two queries.

    A tag rather than view context so the dashboard only needs one line: {% body_heat_map board.start board.end %}.
    """
    return {"heat": body_heat(user=context["request"].user, start=start, end=end)}


@register.inclusion_tag("logbook/_body_heat_figure.html")
def body_heat_figure(counts, days_logged: int) -> dict:
    """Just the shaded figure and its key, from rows the page already has ({muscle_group, side, days}): no query.

    For the dashboard, whose ranking table below it is the text equivalent: {% body_heat_figure board.ranking
    board.days_logged %}.
    """
    return {"heat": heat_from_counts(counts, days_logged)}
