"""JSON bodies only, capped at DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads the stream past Django's own check) and
at MAX_JSON_DEPTH levels of nesting (`cafepos.jsonbounds`)."""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, parsers, status

from cafepos.jsonbounds import MAX_JSON_DEPTH, json_depth


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "request_too_large"


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise PayloadTooLarge()
            stream = io.BytesIO(raw)
        try:
            data = super().parse(stream, media_type, parser_context)
            too_deep = json_depth(data) > MAX_JSON_DEPTH
        except RecursionError:
            too_deep = True
        if too_deep:
            raise exceptions.ParseError(
                _("JSON parse error - nested deeper than %(max_json_depth)s levels.")
                % {"max_json_depth": MAX_JSON_DEPTH}
            )
        return data
