"""Every account screen that shows or changes personal data asks anonymous visitors to log in first."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from bfs_tracker.logbook.models import ReliefMethod

pytestmark = pytest.mark.django_db

PAGES = ["settings", "reliefs", "password_change", "password_change_done"]
RELIEF_PAGES = ["relief_edit", "relief_archive", "relief_delete"]


def assert_sent_to_login(response, url: str) -> None:
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={quote(url)}"


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, name):
    url = reverse(name)
    assert_sent_to_login(client.get(url), url)
    assert_sent_to_login(client.post(url, {}), url)


@pytest.mark.parametrize("name", RELIEF_PAGES)
def test_anonymous_visitors_cannot_touch_a_relief(client, user, name):
    magnesium = ReliefMethod.objects.get(user=user, name="Magnesium")
    url = reverse(name, args=[magnesium.pk])
    assert_sent_to_login(client.post(url, {"name": "x", "archived": "1"}), url)
    magnesium.refresh_from_db()
    assert magnesium.name == "Magnesium"
    assert not magnesium.archived


@pytest.mark.parametrize(
    "name", ["login", "signup", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_the_public_pages_open_without_an_account_with_one_h1(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("name", PAGES)
def test_the_signed_in_pages_have_one_h1_and_no_inline_script_or_style(owner_client, name):
    html = owner_client.get(reverse(name)).content.decode()
    assert html.count("<h1") == 1
    assert "<script>" not in html
    assert "<style" not in html
    assert "style=" not in html
