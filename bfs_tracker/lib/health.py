"""/healthz for a load balancer: is this app server able to serve people? Open to anyone, holds no data.

It is answered by a middleware placed first, before anything else runs: no session, no user, no host check (a
balancer probes each server by its address, which is not in ALLOWED_HOSTS), no HTTPS redirect (the probe is plain
HTTP on the private network). It runs one `SELECT 1` on the database, because a server that cannot reach the
database cannot save a day: 200 when it answers, 503 when it does not. Not the benchmark's `ping` view, which
measures a signed-in page.
"""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

HEALTH_PATH = "/healthz"


def health_response(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response: HttpResponse = HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    else:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        else:
            response = JsonResponse({"status": "ok", "database": "ok"})
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") == HEALTH_PATH:
            return health_response(request)
        return self.get_response(request)
