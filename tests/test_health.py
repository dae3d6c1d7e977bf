"""/healthz: what a load balancer asks each app server, without signing in."""

import json

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_a_healthy_server_says_ok_in_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_a_balancer_probing_by_address_over_plain_http_gets_an_answer(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/", HTTP_HOST="10.0.3.17:8000", secure=False)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_server_that_cannot_reach_the_database_says_so(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"


@pytest.mark.django_db
def test_it_only_answers_reads(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_the_benchmark_ping_is_still_a_signed_in_page_and_not_a_health_check(client):
    response = client.get("/ping/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
