"""Forms of the terminal pages: they only parse input; the rules live in accounts.services."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy

from cafepos.api.throttling import client_ip
from cafepos.exceptions import ApplicationError

from .models import Terminal
from .services import password_login


class TerminalPairForm(forms.Form):
    email = forms.EmailField(label="Manager email", widget=forms.EmailInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    name = forms.CharField(
        label="Terminal name", max_length=100, widget=forms.TextInput(attrs={"placeholder": "Till 1"})
    )
    kind = forms.ChoiceField(
        label="This screen is a", choices=Terminal.Kind.choices, initial=Terminal.Kind.POS, widget=forms.RadioSelect
    )
    location = forms.IntegerField(label="Location", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def offer_locations(self, locations) -> None:
        """The manager has several locations: ask which one, keeping the password so it need not be retyped."""
        choices = [("", "Choose a location…")] + [(location.pk, location.name) for location in locations]
        self.fields["location"].widget = forms.Select(choices=choices)
        self.fields["password"].widget.render_value = True

    def add_application_error(self, error: ApplicationError) -> None:
        """Show a service's refusal at the top of the form, and per field where the field exists."""
        self.add_error(None, error.message)
        for field, messages in error.fields.items():
            if field in self.fields:
                for message in messages:
                    self.add_error(field, message)


class AdminLoginForm(AdminAuthenticationForm):
    """The admin login, under the same sign-in lockout as every password form (accounts.services.password_login).

    A lockout (429) or a cache that does not answer (503) is kept in `refusal` for the page to set its status.
    """

    refusal: ApplicationError | None = None

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = password_login(email=email, password=password, client_ip=client_ip(self.request))
            except ApplicationError as error:
                if error.code == "auth.invalid_credentials":
                    raise self.get_invalid_login_error() from None
                self.refusal = error
                raise forms.ValidationError(error.message, code=error.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class LanguageForm(forms.Form):
    """A language among settings.LANGUAGES, and where to go back to (checked by the view)."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the languages offered.")},
    )
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, browser_choice: bool = False, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        if browser_choice:  # the back office may follow the browser
            self.fields["language"].choices = [("", gettext_lazy("The browser's language")), *settings.LANGUAGES]
            self.fields["language"].required = False
