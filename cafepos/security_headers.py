"""A Content-Security-Policy on every response that has none, beside Django's own headers.

Django already sends X-Content-Type-Options (SecurityMiddleware), Referrer-Policy, Cross-Origin-Opener-Policy,
X-Frame-Options: DENY (XFrameOptionsMiddleware) and, in production over HTTPS, Strict-Transport-Security.
Here: HTML may load scripts, styles, images, fonts and connections (WebSockets included) from this site only
and may not be framed; inline scripts and styles stay allowed for the admin and the API docs, which need them
(the POS pages send a stricter policy of their own, kept as is). Data (JSON, CSV, plain text) may load
nothing at all. Scripts get none: a policy on a service worker's script would govern the worker itself.
"""

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
DATA_TYPES = ("application/json", "application/vnd.oai.openapi", "text/csv", "text/plain")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if "Content-Security-Policy" in response:
            return response
        if content_type.startswith("text/html"):
            response["Content-Security-Policy"] = PAGE_POLICY
        elif content_type.startswith(DATA_TYPES):
            response["Content-Security-Policy"] = DATA_POLICY
        return response
