"""A strict Content Security Policy for the POS pages: scripts, styles and connections from this site only.

No inline script or style runs (data for scripts travels in `json_script` blocks, which are not executed);
WebSockets go to the same host; the pages cannot be framed.
"""

from functools import wraps


def policy(request) -> str:
    host = request.get_host()
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' ws://{host} wss://{host}",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def content_security_policy(view):
    """Send the policy with the view's response (kept if the view set its own)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", policy(request))
        return response

    return wrapper
