// CafePOS live socket, shared by the POS pages and the kitchen display: one WebSocket to the location's events
// (authenticated by the page's session). It answers the server's pings, closes itself when they stop, and
// reconnects with jittered backoff (at once when the browser comes back online) from the last seq it saw, so
// the server replays what was missed: no gap, no duplicate.
//
//   var live = window.CafePOSLiveSocket({
//     url: function (since) { return "/ws/v1/orders/?since=" + encodeURIComponent(since); },
//     since: 0, pingSeconds: 20, backoffMaxMs: 10000,
//     onMessage: function (message) {},   // every message but pings ("auth.ok" included)
//     onClose: function (event) {},       // return false to stay closed
//     onRetry: function (delayMs) {},     // before each reconnect
//   });
//   live.send({ type: "..." });           // false when the socket is not open
(function () {
  "use strict";

  window.CafePOSLiveSocket = function (options) {
    var lastSeq = options.since;
    var socket = null;
    var attempts = 0;
    var reconnectTimer = null;
    var watchdog = null;

    function armWatchdog() {
      // The server pings every pingSeconds; silence for much longer means the link is dead.
      window.clearTimeout(watchdog);
      watchdog = window.setTimeout(function () {
        if (socket) socket.close();
      }, options.pingSeconds * 2500);
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
        return;
      }
      if (message.type === "auth.ok") attempts = 0;
      options.onMessage(message);
    }

    function connect() {
      reconnectTimer = null;
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + window.location.host + options.url(lastSeq));
      socket.addEventListener("message", onMessage);
      socket.addEventListener("open", armWatchdog);
      socket.addEventListener("close", function (event) {
        window.clearTimeout(watchdog);
        socket = null;
        if (options.onClose && options.onClose(event) === false) return;
        scheduleReconnect();
      });
    }

    function scheduleReconnect() {
      if (reconnectTimer) return;
      attempts += 1;
      var delay = Math.min(options.backoffMaxMs, 1000 * Math.pow(2, attempts - 1));
      delay = delay / 2 + (Math.random() * delay) / 2; // jitter: many screens do not return at once
      if (options.onRetry) options.onRetry(delay);
      reconnectTimer = window.setTimeout(connect, delay);
    }

    window.addEventListener("online", function () {
      if (reconnectTimer) {
        window.clearTimeout(reconnectTimer);
        connect();
      }
    });

    connect();

    return {
      send: function (message) {
        if (!socket || socket.readyState !== WebSocket.OPEN) return false;
        socket.send(JSON.stringify(message));
        return true;
      },
    };
  };
})();
