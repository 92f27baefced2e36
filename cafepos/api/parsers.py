"""JSON bodies only, capped at DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads the stream past Django's own check)."""

import io

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .errors import PayloadTooLarge


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise PayloadTooLarge()
            stream = io.BytesIO(raw)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
