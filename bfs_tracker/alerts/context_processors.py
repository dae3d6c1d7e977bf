from bfs_tracker.alerts.selectors import open_alerts_count as _count


class _OpenAlertsCount:
    """The person's unread-alert count, read on first use and then remembered for this page: templates call a
    callable each time they show it, and a page that shows no count (or whose view passes its own) runs no query."""

    def __init__(self, user) -> None:
        self.user = user
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = _count(self.user)
        return self.value


def open_alerts(request) -> dict:
    """`open_alerts_count` for the banner on every signed-in page: one COUNT query when a template shows it, none
    when a view already knows the number (the alerts page passes it in its own context)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"open_alerts_count": _OpenAlertsCount(user)}
