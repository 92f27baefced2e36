"""A Content-Security-Policy on every response that has none, beside Django's own headers.

Django already sends X-Content-Type-Options (SecurityMiddleware), Referrer-Policy, Cross-Origin-Opener-Policy,
X-Frame-Options: DENY (XFrameOptionsMiddleware) and, in production over HTTPS, Strict-Transport-Security.
Here: HTML may load scripts, styles, images, fonts and connections (WebSockets included) from this site only
and may not be framed; inline scripts and styles stay allowed for the admin and the API docs, which need them
(the POS pages send a stricter policy of their own, kept as is). Anything else (JSON, CSV, files) may load
nothing at all.
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


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            html = response.get("Content-Type", "").startswith("text/html")
            response["Content-Security-Policy"] = PAGE_POLICY if html else DATA_POLICY
        return response
