"""The files that make BFS Tracker installable and usable offline. Public: a browser fetches them signed out."""

import json

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Files the service worker stores on install, so the offline page looks and works like the rest of the app.
PRECACHE_STATIC = ["css/app.css", "js/pwa.js", "icons/icon-192.png", "icons/favicon-32.png"]
# Bump when sw.js changes in a way that must drop what browsers cached before.
CACHE_VERSION = "v2"


@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "BFS Tracker",
        "short_name": "BFS Tracker",
        "description": "Log muscle twitching, sleep, stress and caffeine in under a minute; take a report to your "
        "doctor.",
        "id": reverse("today"),
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbfbfa",
        "theme_color": "#2459a6",
        "lang": "en-GB",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("icons/icon-maskable-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "maskable",
            },
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js, served from the site root so it may control every page.

    The list of files to store is written in front of the script because their URLs carry content hashes in
    production (ManifestStaticFilesStorage), which a static file cannot know.
    """
    path = finders.find("js/sw.js")
    if path is None:
        raise Http404("sw.js is missing")
    with open(path, encoding="utf-8") as f:
        script = f.read()
    config = {
        "version": CACHE_VERSION,
        "offlineUrl": reverse("offline"),
        "precache": [reverse("offline")] + [static(name) for name in PRECACHE_STATIC],
    }
    body = f"self.BFS_SW = {json.dumps(config)};\n{script}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/offline.html")


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages without an icon link (error pages, PDFs); point them at ours."""
    return HttpResponsePermanentRedirect(static("icons/favicon-32.png"))
