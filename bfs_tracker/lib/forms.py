"""Small helpers shared by every app's forms."""


class FocusFirstErrorMixin:
    """After a refused submit, put the cursor (and a screen reader) on the first field with an error.

    Without it a form re-opens on its first field (or on whatever has `autofocus`), and someone on a phone has to
    scroll to find what went wrong. Mix in before the Django form class.
    """

    def full_clean(self) -> None:
        super().full_clean()
        first = next((name for name in self.fields if name in self._errors), None)
        if first is None:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[first].widget.attrs["autofocus"] = True
