"""Shared test data for the daily-log screens."""


def day_data(twitches=(), **fields) -> dict:
    """What the browser sends for a day form, with the given twitch rows and field values."""
    data = {
        "twitches-TOTAL_FORMS": str(len(twitches)),
        "twitches-INITIAL_FORMS": "0",
        "twitches-MIN_NUM_FORMS": "0",
        "twitches-MAX_NUM_FORMS": "30",
        "stress": "",
        "anxiety": "",
        "sleep_hours": "",
        "sleep_quality": "",
        "caffeine_mg": "0",
        "alcohol_units": "0",
        "exertion": "none",
        "exertion_minutes": "0",
        "pain": "0",
        "cramps": "0",
        "fatigue": "0",
        "numbness": "0",
        "stiffness": "0",
        "tingling": "0",
        "weakness_location": "",
        "notes": "",
    }
    for index, (group, side, intensity) in enumerate(twitches):
        data[f"twitches-{index}-muscle_group"] = group
        data[f"twitches-{index}-side"] = side
        data[f"twitches-{index}-intensity"] = str(intensity)
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
