from django import forms

from bfs_tracker.security.throttle import account_password_confirm

CODE_HELP = "The 6-digit code your authenticator app shows now."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        help_text=CODE_HELP,
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("The code is 6 digits.")
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code did not match. Check the time on your phone is right and try the newest code."
            )
        return code


class DisableForm(CodeForm):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["password", "code"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        account_password_confirm(self.request, user=self.request.user, password=password)  # throttled like sign-in
        return password
