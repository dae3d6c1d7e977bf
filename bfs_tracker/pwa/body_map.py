"""The body map: a simple figure, front and back, split into the muscle groups of the taxonomy, one shape per side.

Drawn for this project from rectangles and ellipses (no copied artwork). Coordinates are in a 160 x 380 box per
view. On the front view the person's right side is on the viewer's left, as when facing someone; on the back view
the person's left is on the viewer's left. Every shape is named in words ("Left calf"), so nobody has to work out
which way the figure faces.
"""

from dataclasses import dataclass

from bfs_tracker.logbook.taxonomy import MuscleGroup, Side

# (group, x or cx, y or cy, width or rx, height or ry, kind) for the shape on the VIEWER'S LEFT; the other side
# is its mirror image about x = 80. kind: "rect" (rounded rectangle) or "ellipse".
_FRONT = [
    (MuscleGroup.EYELID, 70, 27, 6, 3.5, "ellipse"),
    (MuscleGroup.FACE, 69, 39, 6, 6, "ellipse"),
    (MuscleGroup.NECK, 70, 55, 10, 12, "rect"),
    (MuscleGroup.SHOULDER, 47, 76, 14, 10, "ellipse"),
    (MuscleGroup.CHEST, 56, 70, 24, 38, "rect"),
    (MuscleGroup.ABDOMEN, 60, 110, 20, 50, "rect"),
    (MuscleGroup.UPPER_ARM, 30, 88, 16, 52, "rect"),
    (MuscleGroup.FOREARM, 24, 144, 16, 52, "rect"),
    (MuscleGroup.HAND, 31, 212, 9, 13, "ellipse"),
    (MuscleGroup.THIGH, 57, 166, 21, 84, "rect"),
    (MuscleGroup.CALF, 60, 256, 16, 74, "rect"),
    (MuscleGroup.FOOT, 66, 344, 11, 8, "ellipse"),
]
_BACK = [
    (MuscleGroup.NECK, 70, 55, 10, 12, "rect"),
    (MuscleGroup.SHOULDER, 47, 76, 14, 10, "ellipse"),
    (MuscleGroup.BACK, 56, 70, 24, 88, "rect"),
    (MuscleGroup.UPPER_ARM, 30, 88, 16, 52, "rect"),
    (MuscleGroup.FOREARM, 24, 144, 16, 52, "rect"),
    (MuscleGroup.HAND, 31, 212, 9, 13, "ellipse"),
    (MuscleGroup.GLUTES, 58, 160, 22, 34, "rect"),
    (MuscleGroup.THIGH, 57, 196, 21, 58, "rect"),
    (MuscleGroup.CALF, 60, 258, 16, 72, "rect"),
    (MuscleGroup.FOOT, 66, 344, 11, 8, "ellipse"),
]
# Midline shapes that are one region, not two.
_FRONT_SINGLE = [(MuscleGroup.TONGUE, 80, 47, 6, 2.5, "ellipse")]


@dataclass(frozen=True)
class Region:
    view: str  # "front" or "back"
    group: str
    side: str
    label: str  # "Left calf"
    kind: str
    x: float  # rect: top-left x; ellipse: centre x
    y: float
    w: float  # rect: width; ellipse: rx
    h: float  # rect: height; ellipse: ry

    @property
    def key(self) -> str:
        return f"{self.group}:{self.side}"


def _label(group: str, side: str) -> str:
    name = MuscleGroup(group).label
    if side == Side.BOTH:
        return name
    return f"{Side(side).label} {name[0].lower()}{name[1:]}"


def _mirror(kind: str, x: float, w: float) -> float:
    return 160 - x - w if kind == "rect" else 160 - x


def _view(view: str, shapes, singles) -> list[Region]:
    # Viewer's left is the person's right on the front, their left on the back.
    near, far = (Side.RIGHT, Side.LEFT) if view == "front" else (Side.LEFT, Side.RIGHT)
    regions = []
    for group, x, y, w, h, kind in shapes:
        regions.append(Region(view, group, near, _label(group, near), kind, x, y, w, h))
        regions.append(Region(view, group, far, _label(group, far), kind, _mirror(kind, x, w), y, w, h))
    for group, x, y, w, h, kind in singles:
        regions.append(Region(view, group, Side.BOTH, _label(group, Side.BOTH), kind, x, y, w, h))
    return regions


FRONT: list[Region] = _view("front", _FRONT, _FRONT_SINGLE)
BACK: list[Region] = _view("back", _BACK, [])
