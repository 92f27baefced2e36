"""The Content-Security-Policy: one policy, sent by django-csp's middleware on every response that has none.

Django already sends X-Content-Type-Options (SecurityMiddleware), Referrer-Policy, Cross-Origin-Opener-Policy,
X-Frame-Options: DENY (XFrameOptionsMiddleware) and, in production over HTTPS, Strict-Transport-Security.

- HTML (`PAGE_DIRECTIVES`) may load scripts, styles, images and connections from this site only and may not be
  framed; inline scripts and styles stay allowed for the admin and the API docs, which need them.
- The screens (POS pages, kitchen display) take the same policy without inline script or style, plus what they
  load (fonts, their service worker, the manifest) and their sockets to this host: `screen_policy`, per view.
- Data (JSON, CSV, plain text) may load nothing at all. Other types (scripts, images) get no policy: one on a
  service worker's script would govern the worker itself.

django-csp joins the directives in a set's order, which changes from one process to the next: the middleware
puts them back in `DIRECTIVE_ORDER`, so every process sends the same text. With DEBUG on, django-csp leaves
Django's 404 and 500 debug pages without a policy.
"""

from functools import wraps

from csp.constants import HEADER, NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp, csp_update
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy

PAGE_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
SCREEN_DIRECTIVES = {
    **PAGE_DIRECTIVES,
    "script-src": [SELF],  # data for scripts travels in json_script blocks, which are not executed
    "style-src": [SELF],
    "font-src": [SELF],
    "worker-src": [SELF],
    "manifest-src": [SELF],
    "base-uri": [NONE],
}
# ReDoc runs its search in a worker it builds from its own bundle (a blob: URL): allowed on that page alone.
REDOC_UPDATE = {"worker-src": [SELF, "blob:"]}
DATA_DIRECTIVES = {"default-src": [NONE], "frame-ancestors": [NONE]}
DATA_TYPES = ("application/json", "application/vnd.oai.openapi", "text/csv", "text/plain")

DIRECTIVE_ORDER = [
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "worker-src",
    "manifest-src",
    "object-src",
    "base-uri",
    "form-action",
    "frame-ancestors",
]


def in_directive_order(policy: str) -> str:
    """The policy with its directives in DIRECTIVE_ORDER (others after them, as they came)."""
    rank = {name: index for index, name in enumerate(DIRECTIVE_ORDER)}
    directives = policy.split("; ")
    return "; ".join(sorted(directives, key=lambda directive: rank.get(directive.split(" ", 1)[0], len(rank))))


PAGE_POLICY = in_directive_order(build_policy(config=PAGE_DIRECTIVES))
DATA_POLICY = in_directive_order(build_policy(config=DATA_DIRECTIVES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the policy of a response without a view's own by its content type."""

    def process_response(self, request, response):
        own = HEADER in response
        response = super().process_response(request, response)
        if not own and HEADER in response:
            response[HEADER] = in_directive_order(response[HEADER])
        return response

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is None and not report_only:
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html"):
                parts.config = PAGE_DIRECTIVES
            elif content_type.startswith(DATA_TYPES):
                parts.config = DATA_DIRECTIVES
            else:
                parts.config = {}  # no policy
        return parts


def redoc_policy(view):
    """The pages' policy, letting ReDoc start its search worker."""
    return csp_update(REDOC_UPDATE)(view)


def screen_policy(view):
    """The screens' policy on the view's responses, connecting to this host's sockets (kept if the view set a
    Content-Security-Policy header itself)."""
    strict = csp(SCREEN_DIRECTIVES)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        host = request.get_host()
        return csp_update({"connect-src": [f"ws://{host}", f"wss://{host}"]})(strict)(request, *args, **kwargs)

    return wrapper
