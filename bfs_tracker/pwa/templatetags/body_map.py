from django import template

from bfs_tracker.pwa.body_map import BACK, FRONT

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
