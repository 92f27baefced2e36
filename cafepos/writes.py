"""Small helpers every app's services use to write model rows: apply a change, save with its author, refuse."""

from collections.abc import Iterable

from django.db.models import Model, ProtectedError

from cafepos.exceptions import ApplicationError


class FieldErrors(dict):
    """Messages per field, collected by a validation and raised together."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self, code: str) -> None:
        if self:
            first = next(iter(self.values()))[0]
            raise ApplicationError(code, first, dict(self))


def fields_apply(instance: Model, data: dict, allowed: Iterable[str]) -> list[str]:
    """Set `data` on `instance` and return the names of the fields whose value changed."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"cannot update {', '.join(sorted(unknown))} of a {instance._meta.verbose_name}")
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, data[name])
    return changed


def author_set(instance: Model, by) -> None:
    """Name who makes the change in django-simple-history (without it: the request's user, if any)."""
    if by is not None:
        instance._history_user = by


def instance_save(instance: Model, *, by, update_fields: Iterable[str] | None = None) -> None:
    author_set(instance, by)
    instance.save(update_fields=update_fields)


def instance_delete(instance: Model, *, by, refusal: ApplicationError) -> None:
    """Delete a row, or raise `refusal` when other rows protect it (e.g. orders referring to it)."""
    author_set(instance, by)
    try:
        instance.delete()
    except ProtectedError as error:
        raise refusal from error
