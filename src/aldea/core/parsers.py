"""Request body parsers for the API: JSON with a nesting limit.

Python's ``json`` decoder recurses once per level of nesting, so a body of a few thousand
``[`` raises RecursionError, which no handler expects and which answered 500. Nothing the API
accepts is nested more than a few levels (answers by question code, lists of image URLs), so a
deeper body is refused as malformed before it reaches a serializer or a JSON column.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32


def json_depth_exceeds(value, limit: int) -> bool:
    """Whether ``value`` (parsed JSON) nests objects or arrays more than ``limit`` levels deep.

    Walks with an explicit stack, so it never recurses itself.
    """
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if level > limit:
            return True
        stack.extend((child, level + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 for a body nested deeper than ``MAX_JSON_DEPTH`` levels."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(
            f"JSON parse error - the body nests objects or arrays more than {self.max_depth} levels deep."
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if json_depth_exceeds(data, self.max_depth):
            raise too_deep
        return data
