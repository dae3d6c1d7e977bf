"""What alerts say: what was reported, why a doctor should hear, what to do, no diagnosis, and never reassurance
(shared/domain/bfs.md, rules 1 and 9). Natural-history facts live on the About BFS page, opened on purpose."""

import datetime as dt
import io
import re

import pypdf
import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from bfs_tracker.alerts.function_check import ITEMS
from bfs_tracker.alerts.models import Alert
from bfs_tracker.alerts.rules import (
    NOT_A_DIAGNOSIS,
    PERSISTENT_WEAKNESS,
    RULES,
    SEVERITY_LABELS,
    SIGN_RULE_IDS,
    WEAKNESS_IN_PLAIN_WORDS,
)
from bfs_tracker.alerts.services import alert_settings_update, function_check_record
from bfs_tracker.days.services import day_save
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.pdf import render_pdf

DAY = dt.date(2025, 6, 2)

# Natural-history reassurance, in the words it came in before and in the words it could come back in.
REASSURANCE = re.compile(
    r"motor neuron|\bALS\b|Blexrud|Mattiuzzi|none (went on|developed|of them)|did not develop|"
    r"not go on to|benign|harmless|nothing to worry|don.t worry|no need to worry|reassur|follow(ed)?[- ]up|"
    r"\bstudies\b|most people|rarely|unlikely to be serious",
    re.IGNORECASE,
)


def every_rule_text() -> list[str]:
    texts = [NOT_A_DIAGNOSIS, *SEVERITY_LABELS.values()]
    for rule in RULES.values():
        texts += [rule.title, *rule.paragraphs]
    return texts


@pytest.mark.parametrize("text", every_rule_text())
def test_no_alert_text_holds_natural_history_reassurance(text):
    assert not REASSURANCE.search(text), REASSURANCE.search(text)


@pytest.mark.parametrize("rule_id", ["weakness", PERSISTENT_WEAKNESS])
def test_the_weakness_alerts_say_it_one_way_without_contradicting_themselves(rule_id):
    text = " ".join(RULES[rule_id].paragraphs)
    assert WEAKNESS_IN_PLAIN_WORDS in text
    # The old pair: "Weakness is not a symptom of BFS" and then "A feeling of weakness is also common in BFS".
    assert "not a symptom of BFS" not in text
    assert "common in BFS" not in text
    sentences_about_bfs = [s for s in re.split(r"(?<=\.)\s+", text) if "BFS" in s and "BFS Tracker" not in s]
    assert " ".join(sentences_about_bfs) == WEAKNESS_IN_PLAIN_WORDS.split(" Only")[0]


def test_the_weakness_alert_says_what_was_reported_why_what_to_do_and_that_the_app_does_not_diagnose():
    rule = RULES["weakness"]
    assert rule.reported == "You noted weakness on this day."
    assert "why a doctor should hear about it" in rule.why
    assert "GP or a neurologist" in rule.todo
    assert rule.paragraphs[-1] == NOT_A_DIAGNOSIS
    assert "does not diagnose" in NOT_A_DIAGNOSIS


def test_the_persistent_alert_states_its_whole_rule_including_the_ninety_day_window():
    rule = RULES[PERSISTENT_WEAKNESS]
    assert "3 or more days within 14 days" in rule.reported
    assert "in the same place on 2 days no more than 90 days apart" in rule.reported
    assert "first day the pattern was met" in rule.note
    assert "90 days" in rule.note
    assert "withdrawn" in rule.note


@pytest.fixture
def every_alert(user, django_capture_on_commit_callbacks):
    """One of each alert, emailed: every sign on three days (persistent weakness too), and a worse function check."""
    alert_settings_update(user=user, email_on_alert=True)
    with django_capture_on_commit_callbacks(execute=True):
        for offset in range(3):
            fields = {sign: True for sign in SIGN_RULE_IDS} | {"weakness_location": "left hand"}
            day_save(user=user, date=DAY + dt.timedelta(days=offset), fields=fields, twitches=[])
        fine = {name: 0 for name, _ in ITEMS}
        function_check_record(user=user, answers=fine | {"stairs": 1}, today=DAY)
        function_check_record(user=user, answers=fine | {"stairs": 1}, today=DAY + dt.timedelta(days=7))
    assert set(Alert.objects.filter(user=user).values_list("rule_id", flat=True)) == set(RULES)
    return user


def _pdf_text(report) -> str:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def main(html: str) -> str:
    """The page without the footer, which links to About BFS on every page."""
    return html.split('<footer class="site-footer">')[0]


def test_nothing_shown_with_alerts_reassures(every_alert, owner_client):
    report = owner_client.get(reverse("report"), {"start": "2025-05-01", "end": "2025-06-30"}).content.decode()
    red_flags = report[report.index("<h2>Red-flag events</h2>") :].split("<h2>Twitch burden")[0]
    assert "Weakness that keeps coming back" in red_flags
    pdf = _pdf_text(build_report(every_alert, dt.date(2025, 5, 1), dt.date(2025, 6, 30)))
    pages = {
        "alerts page": owner_client.get(reverse("alerts")).content.decode(),
        "day page": owner_client.get(reverse("day", kwargs={"day": DAY})).content.decode(),
        "report, red-flag section": red_flags,
        "PDF, red-flag section": pdf[pdf.index("Red-flag events") :].split("Twitch burden")[0],
    }
    for alert in Alert.objects.filter(user=every_alert):
        pages[f"detail {alert.rule_id}"] = owner_client.get(reverse("alert_detail", args=[alert.pk])).content.decode()
    request = RequestFactory().get("/")
    request.user = every_alert
    template = Template("{% load alerts_tags %}{% day_alerts day True %}")
    pages["day panel"] = template.render(Context({"request": request, "day": DAY, "csrf_token": "t"}))
    assert len(mail.outbox) == Alert.objects.filter(user=every_alert).count()  # each alert emailed once
    for message in mail.outbox:
        pages[f"email {message.subject}"] = message.subject + "\n" + message.body
    for name, html in pages.items():
        found = REASSURANCE.search(main(html))
        assert found is None, f"{name}: {found}"
        assert 'href="/about-bfs/"' not in main(html), f"{name} links to About BFS from inside the alerts"


def test_the_day_panel_no_longer_calls_every_sign_not_a_symptom_of_bfs(every_alert, owner_client):
    page = owner_client.get(reverse("day", kwargs={"day": DAY})).content.decode()
    assert "You reported something a doctor should hear about." in page
    assert "not a symptom of BFS. Please read" not in page


# -- About BFS: the facts, opened on purpose ---------------------------------------------------------------------


def test_about_bfs_needs_a_login(client):
    url = reverse("about_bfs")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_about_bfs_states_the_natural_history_with_its_sources_plainly_framed(owner_client):
    response = owner_client.get(reverse("about_bfs"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "alerts/about_bfs.html"
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "<h1>About BFS</h1>" in html
    for source in [
        "Blexrud and colleagues, Annals of Neurology,",
        "Mattiuzzi and Lippi, Neurological Sciences, 2024",
        "Turner and Talbot,",
        "NICE guideline NG42",
        "MND Association red-flag tool",
        "Blackman and colleagues, Psychosomatics,",
    ]:
        assert source in html, source
    assert "121 people" in html
    assert "180 people" in html
    assert "None developed motor neuron dysfunction" in html
    assert "not a promise" in html
    assert "does not diagnose" in html
    assert "see your GP or a neurologist" in html
    assert "<script>" not in html
    assert "style=" not in html


def test_about_bfs_is_linked_from_the_footer_of_signed_in_pages_only(client, owner_client):
    for name in ["today", "settings", "alerts"]:
        footer = owner_client.get(reverse(name)).content.decode().split('<footer class="site-footer">')[1]
        assert f'href="{reverse("about_bfs")}"' in footer, name
    client.logout()
    assert reverse("about_bfs") not in client.get(reverse("login")).content.decode()
