"""The POS pages' query strings, parsed and bounded once (hostile input gets a 400 with a field message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.limits import MAX_LOOKUP_DAYS, MAX_ORDER_NUMBER


class OrderLookupForm(forms.Form):
    """Find an order by its number (#0012 or 12) or its receipt number, today or up to MAX_LOOKUP_DAYS back."""

    BY_NUMBER, BY_RECEIPT = "number", "receipt"
    by = forms.ChoiceField(choices=[(BY_NUMBER, _("Order number")), (BY_RECEIPT, _("Receipt number"))])
    q = forms.RegexField(
        regex=r"^\s*#?\s*[0-9]{1,10}\s*$",
        max_length=20,
        error_messages={"invalid": _("Enter a number, like 12 or #0012.")},
    )
    days = forms.IntegerField(min_value=0, max_value=MAX_LOOKUP_DAYS)

    def clean_q(self) -> int:
        number = int(self.cleaned_data["q"].strip().lstrip("#").strip())
        if not 1 <= number <= MAX_ORDER_NUMBER:
            raise forms.ValidationError(_("Enter a number, like 12 or #0012."))
        return number
