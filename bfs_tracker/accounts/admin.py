from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from bfs_tracker.accounts.forms import AdminUserAddForm, AdminUserChangeForm
from bfs_tracker.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    list_display = ("username", "email", "time_zone", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
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
