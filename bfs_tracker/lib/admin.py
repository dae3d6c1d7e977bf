"""Admin helpers shared by every app."""


class ReadOnlyAdminMixin:
    """Health records in the admin: look, never touch.

    A maintainer can browse them to answer a support question or check a bug, but cannot add, change or delete
    anyone's data from the admin (the only writes go through each app's services)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
