"""Alert pages as a person uses them: the banner, the day panel, the alerts page, acknowledging, settings."""

import datetime as dt

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from bfs_tracker.alerts.models import Alert, AlertSettings
from bfs_tracker.alerts.rules import SIGN_RULE_IDS
from bfs_tracker.days.services import day_save

DAY = dt.date(2026, 11, 20)


def save(user, date=DAY, **fields):
    fields = {sign: False for sign in SIGN_RULE_IDS} | fields
    return day_save(user=user, date=date, fields=fields, twitches=[])[0]


def ack(client, alert, confirm=True, **extra):
    data = {"confirm": "on"} if confirm else {}
    return client.post(reverse("alert_acknowledge", args=[alert.pk]), data | extra)


def test_the_banner_is_absent_when_nothing_is_open(owner_client):
    response = owner_client.get(reverse("alerts"))
    assert "unread alert" not in response.content.decode()


def test_the_banner_shows_on_every_page_while_an_alert_is_unread(owner_client, user):
    save(user, weakness=True, weakness_location="left hand")
    for name in ["today", "calendar", "settings", "alert_settings"]:
        page = owner_client.get(reverse(name)).content.decode()
        assert "You have 1 unread alert." in page, name
        assert f'href="{reverse("alerts")}"' in page
    # Not on the alerts page itself, which lists the alert: the banner would only link to the page it is on.
    assert "You have 1 unread alert." not in owner_client.get(reverse("alerts")).content.decode()


def test_the_banner_costs_one_query_and_none_when_signed_out(client, owner_client, user, django_assert_num_queries):
    from bfs_tracker.alerts.context_processors import open_alerts

    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(1):
        assert open_alerts(request)["open_alerts_count"]() == 0
    client.logout()
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert open_alerts(request) == {}


def test_the_unread_count_agrees_with_the_orm_and_counts_only_this_persons_unread_alerts(user, other_user):
    from bfs_tracker.alerts.selectors import open_alerts_count
    from bfs_tracker.alerts.services import alert_acknowledge

    save(user, date=DAY, weakness=True, weakness_location="left hand")
    save(user, date=DAY + dt.timedelta(days=1), falls=True)
    save(user, date=DAY + dt.timedelta(days=2), slurred_speech=True)
    save(other_user, date=DAY, falls=True)
    alert_acknowledge(alert=Alert.objects.filter(user=user).order_by("pk").first())
    save(user, date=DAY + dt.timedelta(days=2))  # the sign taken back: its alert is withdrawn
    statuses = sorted(Alert.objects.filter(user=user).values_list("status", flat=True))
    assert statuses == ["acknowledged", "open", "withdrawn"]
    assert open_alerts_count(user) == Alert.objects.filter(user=user, status=Alert.Status.OPEN).count() == 1
    assert open_alerts_count(other_user) == 1


def test_the_day_pages_one_alert_read_agrees_with_the_unread_count_and_the_days_alerts(
    user, other_user, django_assert_num_queries
):
    """day_page_alerts answers the day page's two questions in one query: the unread count (open_alerts_count) and
    whether the day has an alert that is not withdrawn (alerts_for_day), for open, read and withdrawn alerts."""
    from bfs_tracker.alerts.selectors import alerts_for_day, day_page_alerts, open_alerts_count
    from bfs_tracker.alerts.services import alert_acknowledge

    save(user, date=DAY, weakness=True, weakness_location="left hand")
    save(user, date=DAY + dt.timedelta(days=1), falls=True)
    save(user, date=DAY + dt.timedelta(days=2), slurred_speech=True)
    save(other_user, date=DAY + dt.timedelta(days=4), falls=True)
    alert_acknowledge(alert=Alert.objects.get(user=user, date=DAY))
    save(user, date=DAY + dt.timedelta(days=2))  # taken back: withdrawn
    for offset in range(5):
        day = DAY + dt.timedelta(days=offset)
        with django_assert_num_queries(1):
            unread, any_on_day = day_page_alerts(user, day)
        assert unread == open_alerts_count(user) == 1
        assert any_on_day == bool(alerts_for_day(user, day)), day
        assert alerts_for_day(user, day, any_known=any_on_day) == alerts_for_day(user, day)
    assert [day_page_alerts(user, DAY + dt.timedelta(days=n))[1] for n in range(5)] == [True, True, False, False, False]
    assert day_page_alerts(other_user, DAY + dt.timedelta(days=4)) == (1, True)
    with django_assert_num_queries(0):  # a day known to have none asks nothing
        assert alerts_for_day(user, DAY + dt.timedelta(days=2), any_known=False) == []


def test_the_alerts_page_reads_the_same_alerts_and_checks_as_the_orm(user, other_user, django_assert_num_queries):
    from bfs_tracker.alerts.function_check import ITEMS
    from bfs_tracker.alerts.models import FunctionCheck
    from bfs_tracker.alerts.selectors import alerts_for_day, alerts_for_page, function_check_status
    from bfs_tracker.alerts.services import alert_acknowledge

    for offset in range(4):  # two signs on one day (two severities), and days with their own words
        save(user, date=DAY + dt.timedelta(days=offset), weakness=True, weakness_location=f"hand {offset}")
    save(user, date=DAY, weakness=True, weakness_location="hand 0", breathing_trouble=True, notes="Out of breath")
    save(other_user, date=DAY, falls=True)
    alert_acknowledge(alert=Alert.objects.filter(user=user).order_by("pk").first())
    save(user, date=DAY + dt.timedelta(days=3))  # withdrawn
    answers = {name: 0 for name, _ in ITEMS}
    for week in range(10):
        FunctionCheck.objects.create(
            user=user, taken_on=DAY - dt.timedelta(weeks=week), **answers | {"stairs": week % 3}
        )
    FunctionCheck.objects.create(user=other_user, taken_on=DAY + dt.timedelta(days=1), **answers)

    def fields(objects):
        return [{f.name: getattr(o, f.name) for f in type(o)._meta.concrete_fields} for o in objects]

    with django_assert_num_queries(1):
        alerts = alerts_for_page(user)
    expected = Alert.objects.filter(user=user).newest_first()
    assert fields(alerts) == fields(expected)
    assert len(alerts) >= 5
    assert {a.status for a in alerts} == {"open", "acknowledged", "withdrawn"}
    assert [a.evidence for a in alerts] == [a.evidence for a in expected]
    for offset in range(4):
        day = DAY + dt.timedelta(days=offset)
        shown = alerts_for_day(user, day)
        orm = Alert.objects.filter(user=user, date=day).exclude(status=Alert.Status.WITHDRAWN)
        assert fields(shown) == fields(sorted(orm, key=lambda a: (not a.is_urgent, a.pk))), day
    assert len(alerts_for_day(user, DAY)) == 2  # weakness and breathing trouble, the urgent one first
    assert alerts_for_day(user, DAY)[0].is_urgent
    assert alerts_for_day(user, DAY + dt.timedelta(days=3)) == []  # withdrawn
    status = function_check_status(user, DAY)
    newest = list(FunctionCheck.objects.filter(user=user).order_by("-taken_on")[:8])
    assert fields(status["checks"]) == fields(reversed(newest))
    assert status["last_date"] == DAY


def test_the_alerts_page_lists_open_read_and_withdrawn_alerts_newest_first_with_the_persons_words(owner_client, user):
    save(user, date=DAY, weakness=True, weakness_location="Left hand")
    save(user, date=DAY + dt.timedelta(days=1), falls=True, notes="Tripped on the kerb")
    save(user, date=DAY + dt.timedelta(days=2), slurred_speech=True)
    save(user, date=DAY + dt.timedelta(days=2))  # withdrawn
    alert_acknowledge_first = Alert.objects.get(user=user, rule_id="weakness")
    ack(owner_client, alert_acknowledge_first)
    page = owner_client.get(reverse("alerts")).content.decode()
    page = page[page.index("<h2>Your alerts</h2>") :]
    speech, falls, weakness = (page.index(t) for t in ["slurred speech", "tripping or falls", "You reported weakness"])
    assert speech < falls < weakness
    assert "Left hand" in page
    assert "Tripped on the kerb" in page
    assert "Read on" in page
    assert "Withdrawn" in page
    assert "Not yet read" in page
    assert "Friday 20 November 2026" in page


def test_the_alerts_page_query_count_stays_flat(owner_client, user, django_assert_max_num_queries):
    for offset in range(10):
        save(user, date=DAY + dt.timedelta(days=offset), weakness=True, falls=True)
    with django_assert_max_num_queries(8):
        owner_client.get(reverse("alerts"))


def test_acknowledging_needs_the_confirmation_box(owner_client, user):
    save(user, weakness=True)
    alert = Alert.objects.get(user=user)
    response = ack(owner_client, alert, confirm=False)
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open"
    assert alert.acknowledged_at is None


def test_acknowledging_is_post_only(owner_client, user):
    save(user, weakness=True)
    alert = Alert.objects.get(user=user)
    assert owner_client.get(reverse("alert_acknowledge", args=[alert.pk])).status_code == 405


def test_acknowledging_records_the_time_keeps_the_alert_and_removes_the_banner(owner_client, user):
    save(user, weakness=True, weakness_location="left hand")
    alert = Alert.objects.get(user=user)
    response = ack(owner_client, alert)
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert alert.acknowledged_at is not None
    page = owner_client.get(reverse("alerts")).content.decode()
    assert "unread alert" not in page
    assert "You reported weakness" in page
    assert "left hand" in page


def test_acknowledge_returns_to_a_local_next_page_only(owner_client, user):
    save(user, weakness=True, falls=True)
    falls = Alert.objects.get(user=user, rule_id="falls")
    weakness = Alert.objects.get(user=user, rule_id="weakness")
    assert ack(owner_client, weakness, next="/days/2026-11-20/")["Location"] == "/days/2026-11-20/"
    assert ack(owner_client, falls, next="https://evil.example/")["Location"] == reverse("alerts")


def test_another_users_alert_is_404_on_every_url(stranger_client, user):
    save(user, weakness=True)
    alert = Alert.objects.get(user=user)
    assert stranger_client.get(reverse("alert_detail", args=[alert.pk])).status_code == 404
    assert ack(stranger_client, alert).status_code == 404
    alert.refresh_from_db()
    assert alert.status == "open"
    assert "You reported weakness" not in stranger_client.get(reverse("alerts")).content.decode()


def test_alert_pages_need_a_login(client, user):
    save(user, weakness=True)
    alert = Alert.objects.get(user=user)
    for url in [
        reverse("alerts"),
        reverse("alert_detail", args=[alert.pk]),
        reverse("function_check"),
        reverse("alert_settings"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_the_detail_page_says_what_why_what_to_do_and_no_diagnosis(owner_client, user):
    save(user, breathing_trouble=True)
    alert = Alert.objects.get(user=user)
    page = owner_client.get(reverse("alert_detail", args=[alert.pk])).content.decode()
    assert "Urgent: contact a doctor today" in page
    assert "emergency services" in page
    assert "does not diagnose" in page
    assert "I have read this alert" in page


def render_day_panel(user, day, just_saved=False):
    request = RequestFactory().get(f"/days/{day.isoformat()}/")
    request.user = user
    template = Template("{% load alerts_tags %}{% day_alerts day just_saved %}")
    return template.render(Context({"request": request, "day": day, "csrf_token": "t", "just_saved": just_saved}))


def test_the_day_panel_shows_the_days_alert_prominently(user):
    save(user, weakness=True, weakness_location="Left hand", breathing_trouble=True)
    html = render_day_panel(user, DAY, just_saved=True)
    assert "Your log is saved." in html
    assert 'role="alert"' in html
    assert html.index("You reported trouble breathing") < html.index("You reported weakness")  # urgent first
    assert "alert-urgent" in html
    assert "Left hand" in html
    assert "I have read this alert" in html


def test_the_day_panel_is_empty_for_a_day_without_alerts_and_calm_once_read(user):
    save(user, stress=9)
    assert render_day_panel(user, DAY).strip() == ""
    save(user, weakness=True)
    Alert.objects.filter(user=user).update(status="acknowledged")
    html = render_day_panel(user, DAY)
    assert "You reported weakness" in html
    assert 'role="alert"' not in html


def test_the_email_setting_is_off_by_default_and_can_be_turned_on(
    owner_client, user, django_capture_on_commit_callbacks
):
    page = owner_client.get(reverse("alert_settings")).content.decode()
    assert "Email me when an alert is raised" in page
    assert "checked" not in page
    response = owner_client.post(reverse("alert_settings"), {"email_on_alert": "on"})
    assert response.status_code == 302
    assert AlertSettings.objects.get(user=user).email_on_alert
    with django_capture_on_commit_callbacks(execute=True):
        save(user, weakness=True)
    assert len(mail.outbox) == 1
    owner_client.post(reverse("alert_settings"), {})
    assert not AlertSettings.objects.get(user=user).email_on_alert


@pytest.mark.parametrize("name", ["alerts", "function_check", "alert_settings"])
def test_every_alert_page_has_one_h1(owner_client, name):
    assert owner_client.get(reverse(name)).content.decode().count("<h1") == 1


def test_urgent_alerts_come_first_within_a_day_on_the_alerts_page(owner_client, user):
    save(user, weakness=True, swallowing_trouble=True, falls=True)
    page = owner_client.get(reverse("alerts")).content.decode()
    page = page[page.index("<h2>Your alerts</h2>") :]
    assert page.index("trouble swallowing") < page.index("You reported weakness")


def test_the_admin_shows_alerts_read_only(client, user):
    from bfs_tracker.accounts.services import user_create

    admin = user_create(username="maintainer", email="maint@example.org", password="x", is_staff=True)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    save(user, weakness=True)
    alert = Alert.objects.get(user=user)
    html = client.get(reverse("admin:alerts_alert_changelist")).content.decode()
    assert "alice" in html
    assert reverse("admin:alerts_alert_add") not in html
    assert client.post(reverse("admin:alerts_alert_delete", args=[alert.pk]), {"post": "yes"}).status_code == 403
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_the_alert_card_written_in_python_is_the_templates_card(user, other_user):
    """alerts_tags.alert_card writes templates/alerts/_alert_card.html's markup (kept as the reference): open, read
    and withdrawn alerts, the full text or not, on the detail page or not, with or without `next`, errors and a
    CSRF token, in a time zone other than UTC."""
    from django.utils import timezone

    from bfs_tracker.alerts.services import alert_acknowledge

    save(user, date=DAY, weakness=True, weakness_location='left <hand> & "grip"', notes="Line one\n\nLine <two>\nthree")
    save(user, date=DAY, weakness=True, weakness_location="left hand", breathing_trouble=True)
    save(user, date=DAY + dt.timedelta(days=1), falls=True)
    alert_acknowledge(alert=Alert.objects.get(user=user, rule_id="weakness"))
    save(user, date=DAY + dt.timedelta(days=1))  # falls taken back: withdrawn
    alerts = list(Alert.objects.filter(user=user))
    assert {a.status for a in alerts} == {"open", "acknowledged", "withdrawn"}
    request = RequestFactory().get("/alerts/", {"from": "a&b"})
    reference = Template('{% include "alerts/_alert_card.html" %}')
    variants = [{}, {"full": True}, {"full": True, "detail": True}]
    extras = [{}, {"next": "/days/2026-11-20/?x=<y>"}, {"ack_errors": ["Tick <the> box."], "csrf_token": "tok&en"}]
    with timezone.override("Pacific/Auckland"):
        for alert in alerts:
            for variant in variants:
                for extra in extras:
                    context = {"alert": alert, "request": request} | variant | extra
                    flags = " ".join(f"{name}=True" for name in variant)
                    python = Template("{% load alerts_tags %}{% alert_card alert " + flags + " %}")
                    assert python.render(Context(context)) == reference.render(Context(context)), (alert, context)
