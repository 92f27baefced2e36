"""`<id:name>` in API paths: a positive id within the database's range (a larger number is a 404, not a 500)."""

from django.urls import register_converter

from .params import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError(value)  # Django then tries the next pattern: the API's 404
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
