"""logbook.day_read: the day page's data in one query, compared part by part with what the ORM reads (the day with
prefetch_related, the things tried the form may offer, own factors and the day's answers), on both databases."""

import datetime as dt

from django.db.models import Q

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.day_read import day_read
from bfs_tracker.logbook.models import DailyLog, OwnFactor, ReliefMethod
from bfs_tracker.logbook.own_factors import own_factor_create, values_of
from bfs_tracker.logbook.services import Twitch

DAY = dt.date(2026, 11, 20)


def values(objects) -> list[dict]:
    """Every stored field of each object, so two reads compare field by field (types included)."""
    return [{f.attname: getattr(o, f.attname) for f in type(o)._meta.concrete_fields} for o in objects]


def orm_offered(user, log) -> list[ReliefMethod]:
    """What the form may offer, as the ORM reads it: current things tried and those the day recorded."""
    chosen = Q(pk__in=log.reliefs.values("pk")) if log is not None else Q(pk__in=[])
    return list(ReliefMethod.objects.filter(Q(archived=False) | chosen, user=user).order_by("name"))


def test_a_logged_day_is_read_in_one_query_as_the_orm_reads_it(user, other_user, django_assert_num_queries):
    # Names whose order depends on case and punctuation: the database's collation orders them, as the ORM's does.
    tried = [
        ReliefMethod.objects.create(user=user, name=name)
        for name in ("zinc lozenge", "Cold shower", 'Heat "pad" <b>', "cold bath", "Ärm-stretch")
    ]
    cold = own_factor_create(user=user, name="Cold weather", kind="yes_no")
    gym = own_factor_create(user=user, name="gym", kind="scale")
    old = own_factor_create(user=user, name="Old one", kind="scale")
    twitches = [Twitch("calf", "left", 6), Twitch("eyelid", "both", 3), Twitch("calf", "right", 2)]
    day_save(
        user=user,
        date=DAY,
        fields={"stress": 7, "notes": "a <b>day</b> ✓"},
        twitches=twitches,
        reliefs=tried[:3],
        own={cold.pk: 1, gym.pk: 6, old.pk: 4},
    )
    day_save(user=other_user, date=DAY, fields={}, twitches=[Twitch("thigh", "right", 9)], reliefs=[])
    ReliefMethod.objects.create(user=other_user, name="Theirs")
    tried[2].archived = True  # archived, but this day recorded it: still offered (and ticked)
    tried[2].save()
    tried[4].archived = True  # archived and not recorded: not offered
    tried[4].save()
    OwnFactor.objects.filter(pk=old.pk).update(archived=True)

    with django_assert_num_queries(1):
        read = day_read(user=user, day=DAY)
    orm = DailyLog.objects.filter(user=user, date=DAY).prefetch_related("twitches", "reliefs").get()
    offered, own_values = orm_offered(user, orm), values_of(orm)
    own = list(OwnFactor.objects.filter(user=user, archived=False))

    with django_assert_num_queries(0):  # everything came with the one read
        assert values([read.log]) == values([orm])
        assert values(read.log.twitches.all()) == values(orm.twitches.all())
        assert [(t.muscle_group, t.side) for t in read.log.twitches.all()] == [
            ("calf", "left"),
            ("calf", "right"),
            ("eyelid", "both"),
        ]
        assert all(entry.log is read.log for entry in read.log.twitches.all())
        assert values(read.log.reliefs.all()) == values(orm.reliefs.all())
        assert values(read.reliefs_offered) == values(offered)
        assert [r.name for r in read.reliefs_offered if r.archived] == ['Heat "pad" <b>']
        assert values(read.own_factors) == values(own)
        assert [f.name for f in read.own_factors] == ["Cold weather", "gym"]
        assert read.own_values == own_values == {cold.pk: 1, gym.pk: 6, old.pk: 4}


def test_a_day_not_logged_still_brings_the_persons_lists(user, other_user, django_assert_num_queries):
    ReliefMethod.objects.create(user=other_user, name="Theirs")
    own_factor_create(user=other_user, name="Their factor", kind="yes_no")
    mine = own_factor_create(user=user, name="Mine", kind="scale")
    with django_assert_num_queries(1):
        read = day_read(user=user, day=DAY)
    assert read.log is None
    assert read.own_values == {}
    assert values(read.reliefs_offered) == values(orm_offered(user, None))
    assert read.reliefs_offered, "the user fixture has things to try"
    assert values(read.own_factors) == values([mine])


def test_a_person_with_nothing_yet_gets_empty_lists(other_user):
    ReliefMethod.objects.filter(user=other_user).delete()
    read = day_read(user=other_user, day=DAY)
    assert (read.log, read.reliefs_offered, read.own_factors, read.own_values) == (None, [], [], {})
    day_save(user=other_user, date=DAY, fields={}, twitches=[], reliefs=[])
    read = day_read(user=other_user, day=DAY)
    assert read.log is not None
    assert (list(read.log.twitches.all()), list(read.log.reliefs.all()), read.own_values) == ([], [], {})


def test_another_persons_day_is_never_read(user, other_user):
    day_save(user=other_user, date=DAY, fields={"stress": 3}, twitches=[Twitch("thigh", "right", 9)], reliefs=[])
    assert day_read(user=user, day=DAY).log is None
    theirs = day_read(user=other_user, day=DAY)
    assert theirs.log.user_id == other_user.pk
    assert {r.user_id for r in theirs.reliefs_offered} <= {other_user.pk}
