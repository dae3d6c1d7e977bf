"""The body map: a simple figure, front and back, plus a head-and-neck inset, split into the muscle groups of the
taxonomy, one shape per side.

Drawn for this project from rounded rectangles (no copied artwork) and made for thumbs: coordinates are CSS pixels
at a phone's width (the day form draws one body view and the inset side by side in a 340-unit box, about 1:1 on a
390-px screen), and every shape is at least 46 x 46 units, so each region is a target of at least 44 x 44 CSS px
(WCAG 2.5.5). The head's small muscles (eyelid, face, tongue, neck) live in the inset, drawn large, rather than on
the figure's head, where they would be a few pixels wide. tests/browser/test_browser_phone.py measures them.

On the front view and the inset, the person's right side is on the viewer's left, as when facing someone; on the
back view the person's left is on the viewer's left. Every shape is named in words ("Left calf"), so nobody has to
work out which way the figure faces.
"""

from dataclasses import dataclass

from bfs_tracker.logbook.taxonomy import MuscleGroup, Side

# Smallest width and height of any shape, in units (CSS px on a phone, see above); tests hold every shape to it.
MIN_SIZE = 46

BODY_WIDTH = 204  # the figure: arm column 46, gap 4, two torso halves of 52, gap 4, arm column 46
HEAD_WIDTH = 124  # the inset
GAP = 12
HEIGHT = 436  # figure 414 plus a line for the R / L marks

# (group, x, y, width, height) for the shape on the VIEWER'S LEFT; the other side is its mirror image about the
# middle of its box (BODY_WIDTH or HEAD_WIDTH wide).
_ARMS = [
    (MuscleGroup.SHOULDER, 0, 56, 46, 46),
    (MuscleGroup.UPPER_ARM, 0, 106, 46, 70),
    (MuscleGroup.FOREARM, 0, 180, 46, 70),
    (MuscleGroup.HAND, 0, 254, 46, 46),
]
_FRONT = [
    *_ARMS,
    (MuscleGroup.CHEST, 50, 56, 51, 60),
    (MuscleGroup.ABDOMEN, 50, 120, 51, 60),
    (MuscleGroup.THIGH, 50, 184, 51, 86),
    (MuscleGroup.CALF, 50, 274, 51, 86),
    (MuscleGroup.FOOT, 50, 364, 51, 46),
]
_BACK = [
    *_ARMS,
    (MuscleGroup.BACK, 50, 56, 51, 124),
    (MuscleGroup.GLUTES, 50, 184, 51, 46),
    (MuscleGroup.THIGH, 50, 234, 51, 66),
    (MuscleGroup.CALF, 50, 304, 51, 56),
    (MuscleGroup.FOOT, 50, 364, 51, 46),
]
_HEAD = [
    (MuscleGroup.EYELID, 2, 56, 58, 46),
    (MuscleGroup.FACE, 2, 106, 58, 46),
    (MuscleGroup.NECK, 12, 220, 48, 46),
]
# Midline shapes that are one region, not two.
_HEAD_SINGLE = [(MuscleGroup.TONGUE, 35, 160, 54, 46)]


# The word drawn on each shape of the day form's map (the full name, "Left calf", is its accessible name).
_WORDS = {
    MuscleGroup.UPPER_ARM: ("Upper", "arm"),
    MuscleGroup.FOREARM: ("Fore-", "arm"),
    MuscleGroup.HAND: ("Hand",),
    MuscleGroup.FOOT: ("Foot",),
    MuscleGroup.SHOULDER: ("Shoul-", "der"),
    MuscleGroup.ABDOMEN: ("Belly",),
}


@dataclass(frozen=True)
class Region:
    view: str  # "front", "back" or "head"
    group: str
    side: str
    label: str  # "Left calf"
    x: float  # top-left corner, in the view's own box
    y: float
    w: float
    h: float

    @property
    def key(self) -> str:
        return f"{self.group}:{self.side}"

    @property
    def words(self) -> list[dict[str, str]]:
        """The shape's word(s), one line each, centred: [{x, y, text}]."""
        lines = _WORDS.get(MuscleGroup(self.group), (MuscleGroup(self.group).label,))
        top = self.y + self.h / 2 - (len(lines) - 1) * 6.5 + 4
        return [
            {"x": f"{self.x + self.w / 2:g}", "y": f"{top + 13 * i:g}", "text": line} for i, line in enumerate(lines)
        ]


def _label(group: str, side: str) -> str:
    name = MuscleGroup(group).label
    if side == Side.BOTH:
        return name
    return f"{Side(side).label} {name[0].lower()}{name[1:]}"


def _view(view: str, width: int, shapes, singles=()) -> list[Region]:
    # Viewer's left is the person's right on the front and the head, their left on the back.
    near, far = (Side.LEFT, Side.RIGHT) if view == "back" else (Side.RIGHT, Side.LEFT)
    regions = []
    for group, x, y, w, h in shapes:
        regions.append(Region(view, group, near, _label(group, near), x, y, w, h))
        regions.append(Region(view, group, far, _label(group, far), width - x - w, y, w, h))
    for group, x, y, w, h in singles:
        regions.append(Region(view, group, Side.BOTH, _label(group, Side.BOTH), x, y, w, h))
    return regions


FRONT: list[Region] = _view("front", BODY_WIDTH, _FRONT)
BACK: list[Region] = _view("back", BODY_WIDTH, _BACK)
HEAD: list[Region] = _view("head", HEAD_WIDTH, _HEAD, _HEAD_SINGLE)
