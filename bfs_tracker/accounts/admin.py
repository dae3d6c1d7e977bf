from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from bfs_tracker.accounts.forms import AdminUserAddForm, AdminUserChangeForm
from bfs_tracker.accounts.models import User
from bfs_tracker.logbook.reliefs import relief_methods_seed


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    list_display = ("username", "email", "time_zone", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Log and report", {"fields": ("time_zone", "date_of_birth")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "time_zone", "usable_password", "password1", "password2"),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # An account made here starts like one made by signing up (accounts.services.user_create).
            relief_methods_seed(user=obj)
