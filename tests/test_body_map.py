"""The body map figure and the heat map's numbers."""

import datetime as dt

from django.template import Context, Template

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.logbook.taxonomy import MuscleGroup
from bfs_tracker.pwa.body_map import BACK, BODY_WIDTH, FRONT, HEAD, HEAD_WIDTH, HEIGHT, MIN_SIZE
from bfs_tracker.pwa.selectors import body_heat


def test_every_muscle_group_can_be_tapped_on_each_side():
    reachable = {(r.group, r.side) for r in FRONT + BACK + HEAD}
    for group in MuscleGroup:
        if group == MuscleGroup.TONGUE:
            assert (group, "both") in reachable
        else:
            assert (group, "left") in reachable, group
            assert (group, "right") in reachable, group


def test_every_region_is_a_thumb_sized_target_inside_its_box_and_none_overlap():
    for view, width in ((FRONT, BODY_WIDTH), (BACK, BODY_WIDTH), (HEAD, HEAD_WIDTH)):
        for r in view:
            assert min(r.w, r.h) >= MIN_SIZE, r.label
            assert (0, 0) <= (r.x, r.y), r.label
            assert r.x + r.w <= width, r.label
            assert r.y + r.h <= HEIGHT, r.label
        for i, a in enumerate(view):
            for b in view[i + 1 :]:
                apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
                assert apart, (a.label, b.label)


def test_each_view_names_every_region_once_in_words():
    for view in (FRONT, BACK, HEAD):
        labels = [r.label for r in view]
        assert len(labels) == len(set(labels))
    assert "Left calf" in [r.label for r in BACK]
    assert "Right hand and fingers" in [r.label for r in FRONT]


def test_the_front_view_shows_the_persons_right_on_the_viewers_left():
    front_calf = {r.side: r.x for r in FRONT if r.group == MuscleGroup.CALF}
    back_calf = {r.side: r.x for r in BACK if r.group == MuscleGroup.CALF}
    eyelid = {r.side: r.x for r in HEAD if r.group == MuscleGroup.EYELID}
    assert front_calf["right"] < front_calf["left"]
    assert back_calf["left"] < back_calf["right"]
    assert eyelid["right"] < eyelid["left"]


def test_the_input_map_renders_keyboard_buttons_named_in_words():
    html = Template("{% load body_map %}{% body_map %}").render(Context())
    assert 'role="button" tabindex="-1" aria-pressed="false" aria-label="Left calf"' in html  # roving: body-map.js
    assert 'aria-label="Left eyelid"' in html
    assert 'aria-label="Tongue"' in html
    assert "data-body-map hidden" in html
    assert "<script" not in html
    assert "style=" not in html


def test_the_heat_map_counts_days_per_group_and_side(user):
    day = dt.date(2026, 11, 1)
    day_save(
        user=user,
        date=day,
        fields={},
        twitches=[Twitch("calf", "left", 6), Twitch("eyelid", "both", 2)],
    )
    day_save(
        user=user,
        date=day + dt.timedelta(days=1),
        fields={},
        twitches=[Twitch("calf", "right", 4), Twitch("calf", "left", 3)],
    )
    day_save(user=user, date=day + dt.timedelta(days=2), fields={}, twitches=[])
    day_save(user=user, date=day + dt.timedelta(days=40), fields={}, twitches=[Twitch("thigh", "left", 4)])

    heat = body_heat(user=user, start=day, end=day + dt.timedelta(days=29))

    assert heat.days_logged == 3
    rows = {r.group: (r.left_days, r.right_days) for r in heat.rows}
    assert rows == {"calf": (2, 1), "eyelid": (1, 1)}
    assert heat.regions["calf:left"] == (5, "twitched on 2 days")
    assert heat.regions["calf:right"] == (3, "twitched on 1 day")
    assert "thigh:left" not in heat.regions


def test_the_heat_map_takes_two_queries(user, django_assert_num_queries):
    for n in range(10):
        day_save(
            user=user, date=dt.date(2026, 10, 1) + dt.timedelta(days=n), fields={}, twitches=[Twitch("calf", "left", 5)]
        )
    with django_assert_num_queries(2):
        body_heat(user=user, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))


def test_the_heat_map_and_its_table_say_the_same(user):
    day_save(user=user, date=dt.date(2026, 11, 1), fields={}, twitches=[Twitch("calf", "left", 6)])
    heat = body_heat(user=user, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    html = Template('{% include "logbook/_body_heat_map.html" %}').render(Context({"heat": heat}))
    assert 'aria-label="Left calf: twitched on 1 day"' in html
    assert '<th scope="row">Calf</th><td>1 day</td><td>0 days</td>' in html
    assert "Out of 1 day logged" in html


def test_the_heat_map_tag_shows_the_signed_in_users_own_days(rf, user, other_user):
    day_save(user=user, date=dt.date(2026, 11, 1), fields={}, twitches=[Twitch("calf", "left", 6)])
    day_save(user=other_user, date=dt.date(2026, 11, 1), fields={}, twitches=[Twitch("hand", "right", 6)])
    request = rf.get("/dashboard/")
    request.user = user
    html = Template("{% load body_map %}{% body_heat_map start end %}").render(
        Context({"request": request, "start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 30)})
    )
    assert "Left calf: twitched on 1 day" in html
    assert "Right hand and fingers: twitched" not in html


def test_the_dashboard_figure_shades_from_the_ranking_it_already_has(db, django_assert_num_queries):
    ranking = [
        {"muscle_group": "calf", "side": "left", "burden": 40, "days": 8},
        {"muscle_group": "eyelid", "side": "both", "burden": 12, "days": 2},
    ]
    with django_assert_num_queries(0):
        html = Template("{% load body_map %}{% body_heat_figure ranking 10 %}").render(Context({"ranking": ranking}))
    assert 'aria-label="Left calf: twitched on 8 days"' in html
    assert 'aria-label="Right eyelid: twitched on 2 days"' in html
    assert 'aria-label="Right calf: no twitching logged"' in html
    assert "bm-heat-5" in html
