from bfs_tracker.alerts.selectors import open_alerts_count as _count


def open_alerts(request) -> dict:
    """`open_alerts_count` for the banner on every page: one COUNT query when signed in, none otherwise."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"open_alerts_count": _count(user)}
