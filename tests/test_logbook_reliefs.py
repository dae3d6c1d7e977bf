import datetime as dt

import pytest
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import ReliefMethod
from bfs_tracker.logbook.reliefs import ReliefInUse, relief_method_create, relief_method_delete, reliefs_for_list

pytestmark = pytest.mark.django_db

URL = reverse("reliefs")


def relief(user, name: str) -> ReliefMethod:
    return ReliefMethod.objects.get(user=user, name=name)


def use_on_a_day(user, method: ReliefMethod, day: dt.date = dt.date(2026, 1, 5)) -> None:
    day_save(user=user, date=day, fields={}, twitches=[], reliefs=[method])


def test_it_lists_the_starter_reliefs_with_how_often_each_was_used(owner_client, user):
    use_on_a_day(user, relief(user, "Magnesium"))
    html = owner_client.get(URL).content.decode()
    assert "Magnesium" in html
    assert "Massage" in html
    assert "used on 1 day" in html
    assert "not used yet" in html


def test_the_list_costs_the_same_queries_however_many_days_use_it(owner_client, user, django_assert_num_queries):
    owner_client.get(URL)
    magnesium = relief(user, "Magnesium")
    for offset in range(5):
        use_on_a_day(user, magnesium, dt.date(2026, 1, 1) + dt.timedelta(days=offset))
    relief_method_create(user=user, name="Stretching")
    with django_assert_num_queries(4):  # session, user, unread-alerts count (banner), the annotated list
        owner_client.get(URL)


def test_it_adds_a_relief(owner_client, user):
    response = owner_client.post(URL, {"name": "  Less   coffee "}, follow=True)
    assert "Added “Less coffee”" in response.content.decode()
    assert ReliefMethod.objects.filter(user=user, name="Less coffee", archived=False).exists()


def test_it_refuses_a_duplicate_name_in_any_case(owner_client, user):
    response = owner_client.post(URL, {"name": "magnesium"})
    assert response.status_code == 200
    assert "already on your list" in " ".join(response.context["form"].errors["name"])
    assert 'id="id_name_error"' in response.content.decode()
    assert ReliefMethod.objects.filter(user=user, name__iexact="magnesium").count() == 1


def test_a_duplicate_of_an_archived_entry_suggests_unarchiving(owner_client, user):
    ReliefMethod.objects.filter(user=user, name="Massage").update(archived=True)
    response = owner_client.post(URL, {"name": "Massage"})
    assert "Unarchive it" in " ".join(response.context["form"].errors["name"])


def test_the_same_name_as_another_users_entry_is_fine(owner_client, user, other_user):
    relief_method_create(user=other_user, name="Yoga")
    assert owner_client.post(URL, {"name": "Yoga"}).status_code == 302
    assert ReliefMethod.objects.filter(name="Yoga").count() == 2


def test_it_refuses_an_empty_name(owner_client, user):
    count = ReliefMethod.objects.filter(user=user).count()
    response = owner_client.post(URL, {"name": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ReliefMethod.objects.filter(user=user).count() == count


def test_it_renames_a_relief_and_past_days_show_the_new_name(owner_client, user):
    magnesium = relief(user, "Magnesium")
    use_on_a_day(user, magnesium)
    response = owner_client.post(reverse("relief_edit", args=[magnesium.pk]), {"name": "Magnesium glycinate"})
    assert response.url == URL
    log = user.daily_logs.get()
    assert [r.name for r in log.reliefs.all()] == ["Magnesium glycinate"]


def test_renaming_to_another_entrys_name_is_refused(owner_client, user):
    magnesium = relief(user, "Magnesium")
    response = owner_client.post(reverse("relief_edit", args=[magnesium.pk]), {"name": "MASSAGE"})
    assert response.status_code == 200
    assert "already on your list" in " ".join(response.context["form"].errors["name"])
    magnesium.refresh_from_db()
    assert magnesium.name == "Magnesium"


def test_renaming_to_the_same_name_in_another_case_is_fine(owner_client, user):
    magnesium = relief(user, "Magnesium")
    owner_client.post(reverse("relief_edit", args=[magnesium.pk]), {"name": "magnesium"})
    magnesium.refresh_from_db()
    assert magnesium.name == "magnesium"


def test_archive_and_unarchive(owner_client, user):
    massage = relief(user, "Massage")
    owner_client.post(reverse("relief_archive", args=[massage.pk]), {"archived": "1"})
    massage.refresh_from_db()
    assert massage.archived
    page = owner_client.get(URL)
    assert massage not in page.context["active"]
    assert massage in page.context["archived"]
    html = page.content.decode()
    assert html.rindex("Massage") > html.index("<h2>Archived</h2>")

    owner_client.post(reverse("relief_archive", args=[massage.pk]), {"archived": "0"})
    massage.refresh_from_db()
    assert not massage.archived


def test_an_archived_relief_stays_on_past_days(owner_client, user):
    massage = relief(user, "Massage")
    use_on_a_day(user, massage)
    owner_client.post(reverse("relief_archive", args=[massage.pk]), {"archived": "1"})
    assert [r.name for r in user.daily_logs.get().reliefs.all()] == ["Massage"]


def test_archive_by_get_is_refused(owner_client, user):
    massage = relief(user, "Massage")
    assert owner_client.get(reverse("relief_archive", args=[massage.pk])).status_code == 405


def test_it_deletes_an_unused_relief_after_a_confirmation(owner_client, user):
    massage = relief(user, "Massage")
    confirm = owner_client.get(reverse("relief_delete", args=[massage.pk]))
    assert "No day uses it" in confirm.content.decode()
    response = owner_client.post(reverse("relief_delete", args=[massage.pk]), follow=True)
    assert "Deleted “Massage”" in response.content.decode()
    assert not ReliefMethod.objects.filter(pk=massage.pk).exists()


def test_it_refuses_to_delete_a_used_relief_and_offers_archive(owner_client, user):
    magnesium = relief(user, "Magnesium")
    use_on_a_day(user, magnesium)
    confirm = owner_client.get(reverse("relief_delete", args=[magnesium.pk])).content.decode()
    assert "cannot be deleted" in confirm
    assert reverse("relief_archive", args=[magnesium.pk]) in confirm

    response = owner_client.post(reverse("relief_delete", args=[magnesium.pk]), follow=True)
    assert "is on 1 past day, so it cannot be deleted" in response.content.decode()
    assert ReliefMethod.objects.filter(pk=magnesium.pk).exists()
    assert user.daily_logs.get().reliefs.count() == 1


def test_the_delete_service_refuses_a_used_relief(user):
    magnesium = relief(user, "Magnesium")
    use_on_a_day(user, magnesium, dt.date(2026, 1, 1))
    use_on_a_day(user, magnesium, dt.date(2026, 1, 2))
    with pytest.raises(ReliefInUse) as refused:
        relief_method_delete(relief=magnesium)
    assert refused.value.days == 2


def test_the_list_puts_active_entries_first(user):
    ReliefMethod.objects.filter(user=user, name="Cold compress").update(archived=True)
    names = [r.name for r in reliefs_for_list(user=user)]
    assert names[-1] == "Cold compress"


@pytest.mark.parametrize("name", ["relief_edit", "relief_delete"])
def test_another_users_relief_page_is_a_404(stranger_client, user, name):
    assert stranger_client.get(reverse(name, args=[relief(user, "Magnesium").pk])).status_code == 404


@pytest.mark.parametrize("name", ["relief_edit", "relief_archive", "relief_delete"])
def test_another_users_relief_cannot_be_changed(stranger_client, user, name):
    magnesium = relief(user, "Magnesium")
    url = reverse(name, args=[magnesium.pk])
    assert stranger_client.post(url, {"name": "Mine now", "archived": "1"}).status_code == 404
    magnesium.refresh_from_db()
    assert magnesium.name == "Magnesium"
    assert not magnesium.archived
