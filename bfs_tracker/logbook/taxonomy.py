"""The vocabulary of a day's log: muscle groups, sides, exertion levels, symptoms and red-flag signs.

Muscle groups are coarse on purpose: a person logging at night on a phone can tell "calf" from "thigh" but not
gastrocnemius from soleus, and a neurologist reading the report wants the pattern (which limbs, one side or both,
spreading or not), not anatomy. Each group belongs to a body region so charts and the body map can group them.
Every list here is the single source for forms, charts, exports and tests; add to it, never rename a stored value.
"""

from django.db import models


class BodyRegion(models.TextChoices):
    HEAD = "head", "Head and neck"
    ARM = "arm", "Arms and hands"
    TRUNK = "trunk", "Trunk"
    LEG = "leg", "Legs and feet"


class MuscleGroup(models.TextChoices):
    EYELID = "eyelid", "Eyelid"
    FACE = "face", "Face"
    TONGUE = "tongue", "Tongue"
    NECK = "neck", "Neck"
    SHOULDER = "shoulder", "Shoulder"
    UPPER_ARM = "upper_arm", "Upper arm"
    FOREARM = "forearm", "Forearm"
    HAND = "hand", "Hand and fingers"
    CHEST = "chest", "Chest"
    ABDOMEN = "abdomen", "Abdomen"
    BACK = "back", "Back"
    GLUTES = "glutes", "Glutes"
    THIGH = "thigh", "Thigh"
    CALF = "calf", "Calf"
    FOOT = "foot", "Foot and toes"


REGION_OF_GROUP: dict[str, str] = {
    MuscleGroup.EYELID: BodyRegion.HEAD,
    MuscleGroup.FACE: BodyRegion.HEAD,
    MuscleGroup.TONGUE: BodyRegion.HEAD,
    MuscleGroup.NECK: BodyRegion.HEAD,
    MuscleGroup.SHOULDER: BodyRegion.ARM,
    MuscleGroup.UPPER_ARM: BodyRegion.ARM,
    MuscleGroup.FOREARM: BodyRegion.ARM,
    MuscleGroup.HAND: BodyRegion.ARM,
    MuscleGroup.CHEST: BodyRegion.TRUNK,
    MuscleGroup.ABDOMEN: BodyRegion.TRUNK,
    MuscleGroup.BACK: BodyRegion.TRUNK,
    MuscleGroup.GLUTES: BodyRegion.LEG,
    MuscleGroup.THIGH: BodyRegion.LEG,
    MuscleGroup.CALF: BodyRegion.LEG,
    MuscleGroup.FOOT: BodyRegion.LEG,
}


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"


class Exertion(models.TextChoices):
    NONE = "none", "None"
    LIGHT = "light", "Light"
    MODERATE = "moderate", "Moderate"
    HARD = "hard", "Hard"


# Ordinal value of each exertion level, for statistics that need a number.
EXERTION_LEVEL: dict[str, int] = {Exertion.NONE: 0, Exertion.LIGHT: 1, Exertion.MODERATE: 2, Exertion.HARD: 3}

# Other symptoms named in the domain notes, each scored 0–10: (field name, label).
SYMPTOMS: list[tuple[str, str]] = [
    ("pain", "Pain"),
    ("cramps", "Cramps"),
    ("fatigue", "Fatigue"),
    ("numbness", "Numbness"),
    ("stiffness", "Stiffness"),
    ("tingling", "Tingling (pins and needles)"),
]

# Signs that are not typical of BFS, each yes/no: (field name, label). Weakness also records where.
RED_FLAG_SIGNS: list[tuple[str, str]] = [
    ("weakness", "Weakness"),
    ("muscle_wasting", "Visible muscle wasting"),
    ("swallowing_trouble", "Trouble swallowing"),
    ("slurred_speech", "Slurred speech"),
    ("breathing_trouble", "Trouble breathing"),
    ("falls", "Tripping or falls"),
    ("dropping_things", "Dropping things"),
]

# What people commonly try; every new account starts with this list and can edit it.
DEFAULT_RELIEF_METHODS: list[str] = [
    "Magnesium",
    "Relaxation or meditation",
    "Anti-anxiety medication",
    "Cold compress",
    "Warm compress",
    "Massage",
]

# Quick-add caffeine buttons: (drink, milligrams of caffeine in a typical serving).
CAFFEINE_DRINKS: list[tuple[str, int]] = [
    ("Coffee", 95),
    ("Espresso", 63),
    ("Black tea", 47),
    ("Energy drink", 80),
    ("Cola", 34),
]
