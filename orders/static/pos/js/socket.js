// CafePOS terminal: the location's live events over /ws/v1/orders/ (authenticated by this page's session).
// It connects with ?since=<seq> of the page's data, so nothing between render and connect is missed, and
// reconnects with backoff from the last seq it saw. Pages listen with CafePOS.on("ws:<event type>", ...)
// and refresh their data on "ws:resync" (too far behind, or the session could not be used).
(function () {
  "use strict";

  var POS = window.CafePOS;
  var BACKOFF_MAX_MS = 10000;
  var lastSeq = POS.config.since;
  var attempts = 0;
  var socket = null;
  var watchdog = null;

  function url() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + "/ws/v1/orders/?since=" + encodeURIComponent(lastSeq);
  }

  function armWatchdog() {
    window.clearTimeout(watchdog);
    watchdog = window.setTimeout(function () { if (socket) socket.close(); }, POS.config.ping_seconds * 2500);
  }

  function onMessage(event) {
    var message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    armWatchdog();
    if (typeof message.seq === "number" && message.seq > lastSeq) lastSeq = message.seq;
    if (message.type === "ping") {
      socket.send(JSON.stringify({ type: "pong" }));
    } else if (message.type === "auth.ok") {
      attempts = 0;
      document.documentElement.setAttribute("data-live", "yes");
      POS.emit("connection", true);
    } else if (message.type === "resync.required") {
      POS.emit("ws:resync", message);
    } else if (message.type) {
      POS.emit("ws:" + message.type, message.data || {});
      POS.emit("ws:event", message);
    }
  }

  function connect() {
    socket = new WebSocket(url());
    socket.addEventListener("message", onMessage);
    socket.addEventListener("open", armWatchdog);
    socket.addEventListener("close", function (event) {
      window.clearTimeout(watchdog);
      socket = null;
      document.documentElement.removeAttribute("data-live");
      if (event.code === 4001 || event.code === 4003) POS.emit("ws:resync", { reason: "session" });
      attempts += 1;
      var delay = Math.min(BACKOFF_MAX_MS, 500 * Math.pow(2, attempts));
      window.setTimeout(connect, delay / 2 + (Math.random() * delay) / 2);
    });
  }

  if (POS.config.since !== null && POS.config.since !== undefined) connect();
})();
