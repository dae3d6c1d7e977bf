"""The files that make the app installable: manifest, icons, service worker, offline page."""

import json

from django.contrib.staticfiles import finders
from PIL import Image


def test_the_manifest_names_the_app_and_its_icons(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "BFS Tracker"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes


def test_every_icon_in_the_manifest_exists_at_its_stated_size(client, db):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        width, height = Image.open(path).size
        assert f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_is_served_from_the_root_with_its_file_list(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(body.split("self.BFS_SW = ", 1)[1].split(";\n", 1)[0])
    assert "/offline/" in config["precache"]
    assert "/static/css/app.css" in config["precache"]
    assert 'addEventListener("fetch"' in body


def test_the_offline_page_opens_signed_out(client, db):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "You are offline" in response.content.decode()


def test_every_page_links_the_manifest_and_the_service_worker(owner_client):
    body = owner_client.get("/offline/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in body
    assert 'data-sw="/sw.js"' in body
    assert "js/pwa.js" in body


def test_favicon_ico_points_at_the_app_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/icons/favicon-32.png"
