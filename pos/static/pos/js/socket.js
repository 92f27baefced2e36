// CafePOS terminal: the location's live events over /ws/v1/orders/ (authenticated by this page's session).
// It connects with ?since=<seq> of the page's data, so nothing between render and connect is missed, and
// reconnects with backoff from the last seq it saw (cafepos/live_socket.js). Pages listen with
// CafePOS.on("ws:<event type>", ...) and refresh their data on "ws:resync" (too far behind, or the session
// could not be used). Its state ("connecting", "open", "closed") is POS.socketState, announced as "socket".
(function () {
  "use strict";

  var POS = window.CafePOS;
  POS.socketState = "connecting";

  function setState(state) {
    POS.socketState = state;
    POS.emit("socket", state);
  }

  function onMessage(message) {
    if (message.type === "auth.ok") {
      document.documentElement.setAttribute("data-live", "yes");
      setState("open");
      POS.emit("connection", true);
    } else if (message.type === "resync.required") {
      POS.emit("ws:resync", message);
    } else if (message.type) {
      POS.emit("ws:" + message.type, message.data || {});
      POS.emit("ws:event", message);
    }
  }

  function onClose(event) {
    document.documentElement.removeAttribute("data-live");
    setState("closed");
    if (event.code === 4001 || event.code === 4003) POS.emit("ws:resync", { reason: "session" });
  }

  if (POS.config.since !== null && POS.config.since !== undefined) {
    window.CafePOSLiveSocket({
      url: function (since) { return "/ws/v1/orders/?since=" + encodeURIComponent(since); },
      since: POS.config.since,
      pingSeconds: POS.config.ping_seconds,
      backoffMaxMs: 10000,
      onMessage: onMessage,
      onClose: onClose,
      onRetry: function () { setState("connecting"); },
    });
  }
})();
