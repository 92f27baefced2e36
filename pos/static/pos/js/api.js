// CafePOS terminal: calls to the v1 API (and the POS's own JSON views) as this paired terminal.
// The terminal cookie authenticates; X-Staff-Id names the staff member acting (the one who took an order,
// even after their session ended); writes carry the CSRF token and, where the API asks, an Idempotency-Key.
(function () {
  "use strict";

  var POS = window.CafePOS;
  var TIMEOUT_MS = 8000;

  function csrfToken() {
    var name = POS.config.csrf_cookie + "=";
    var cookie = document.cookie.split(/;\s*/).find(function (part) { return part.indexOf(name) === 0; });
    if (cookie) return decodeURIComponent(cookie.slice(name.length));
    var field = POS.$("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // Refusals a cashier cannot act on as the API words them, said in their words (the code stays the API's).
  var CASHIER_WORDS = {
    "idempotency.key_reused": gettext("This order was already sent with different contents. Start a new order or reload."),
  };

  // Failure kinds: "network" (no answer: offline, server down, timeout) or "http" (an answer with an error).
  function failure(kind, status, error, retryAfter) {
    var err = new Error((error && (CASHIER_WORDS[error.code] || error.message)) || (kind === "network" ? gettext("No connection to the server.") : interpolate(gettext("Error %(status)s"), { status: status }, true)));
    err.kind = kind;
    err.status = status || 0;
    err.code = (error && error.code) || (kind === "network" ? "network" : "http_" + status);
    err.fields = (error && error.fields) || {};
    err.retryAfter = retryAfter || 0;
    return err;
  }

  // Worth retrying later with the same key: no answer, a server error, a rate limit, or the same key busy.
  function isTransient(err) {
    return err.kind === "network" || err.status >= 500 || err.status === 429 || err.status === 408 ||
      err.code === "idempotency.in_progress";
  }

  function request(method, path, options) {
    options = options || {};
    var headers = { Accept: "application/json", "X-Staff-Id": String(options.staffId || POS.config.staff.id) };
    headers["Accept-Language"] = POS.config.language; // the till's language: the staff's choice or the location's
    if (method !== "GET") {
      headers["X-CSRFToken"] = csrfToken();
      headers["Content-Type"] = "application/json";
    }
    if (options.key) headers["Idempotency-Key"] = options.key;
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, options.timeout || TIMEOUT_MS);
    var init = { method: method, headers: headers, credentials: "same-origin", signal: controller.signal };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);
    return fetch(path, init).then(
      function (response) {
        window.clearTimeout(timer);
        POS.emit("connection", !response.headers.get("X-CafePOS-Offline")); // the service worker's cached copy
        var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
        return (json ? response.json() : Promise.resolve(null)).then(function (body) {
          if (response.ok) return body;
          var retryAfter = Number(response.headers.get("Retry-After") || 0);
          throw failure("http", response.status, body && body.error, retryAfter);
        });
      },
      function () {
        window.clearTimeout(timer);
        POS.emit("connection", false);
        throw failure("network");
      }
    );
  }

  POS.api = {
    get: function (path, options) { return request("GET", path, options); },
    post: function (path, body, options) { return request("POST", path, Object.assign({ body: body }, options)); },
    isTransient: isTransient,
  };
})();
