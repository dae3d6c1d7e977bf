from functools import cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from bfs_tracker.pwa.body_map import BACK, BODY_WIDTH, FRONT, GAP, HEAD, HEAD_WIDTH, HEIGHT
from bfs_tracker.pwa.selectors import body_heat, heat_from_counts

register = template.Library()

_TITLES = {"front": "Front", "back": "Back", "head": "Head and neck"}


@register.simple_tag
def body_map(heat: dict | None = None, caption: str = "") -> SafeString:
    """The figure (body_map_context). The day form's figure (no heat) is the same for everyone and every day, so it
    is rendered once per process and kept (a hundred-odd shapes, otherwise about a tenth of the day page's time);
    with DEBUG on it is rendered each time, so an edited template shows at once."""
    if heat is None and not caption and not settings.DEBUG:
        return _input_map()
    return render_to_string("logbook/_body_map.html", body_map_context(heat, caption))


@cache
def _input_map() -> SafeString:
    return render_to_string("logbook/_body_map.html", body_map_context(None, ""))


def body_map_context(heat: dict | None = None, caption: str = "") -> dict:
    """The figure's context. Without heat: one body view at a time (front or back, switched by two buttons) beside the
    head-and-neck inset, drawn about 1:1 on a phone so every region is a thumb-sized button that adds a twitch to
    the day form (body-map.js). With heat: front, back and the inset side by side, shaded.

    heat: {"calf:left": (level 0-5, description)} shades each region by how much it twitched (dashboard).
    """
    body_x = {"front": 0, "back": 0, "head": BODY_WIDTH + GAP}
    if heat is not None:
        body_x = {"front": 0, "back": BODY_WIDTH + GAP, "head": 2 * (BODY_WIDTH + GAP)}
    views = []
    # The inset first: its eyelid, the commonest site, is the figure's first tab stop.
    for name, regions in (("head", HEAD), ("front", FRONT), ("back", BACK)):
        shapes = []
        for region in regions:
            level, description = (heat or {}).get(region.key, (0, "no twitching logged"))
            shapes.append({"region": region, "level": level, "description": description})
        width = HEAD_WIDTH if name == "head" else BODY_WIDTH
        views.append(
            {
                "name": name,
                "title": _TITLES[name],
                "shapes": shapes,
                "x": body_x[name],
                "width": width,
                "hidden": heat is None and name == "back",  # the day form shows the front first
                # The person's right is on the viewer's left, except on the back.
                "marks": ("L", "R") if name == "back" else ("R", "L"),
            }
        )
    width = body_x["head"] + HEAD_WIDTH
    return {"views": views, "heat": heat is not None, "caption": caption, "width": width, "height": HEIGHT}


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
