// CafePOS kitchen display: renders one station's open tickets and keeps them live over /ws/v1/kitchen/.
// The page's session authenticates the socket. Every event carries a seq; the display remembers the last one
// and reconnects with ?since=<seq> after a drop, so the server replays what was missed (no gap, no duplicate).
(function () {
  "use strict";

  var UI = window.CafePOSUI; // cafepos/ui.js
  var el = UI.el;
  var display = JSON.parse(document.getElementById("kds-display").textContent);
  var grid = document.querySelector("[data-kds-grid]");
  var doneList = document.querySelector("[data-kds-done]");
  var banner = document.querySelector("[data-kds-banner]");
  var emptyNote = document.querySelector("[data-kds-empty]");
  var statusLabel = document.querySelector("[data-kds-status]");
  var soundButton = document.querySelector("[data-kds-sound]");
  var showToast = UI.toaster(document.querySelector("[data-kds-toast]"), 5000);

  var DONE_KEPT = 6; // recently bumped tickets shown for recall
  var BACKOFF_MAX_MS = 30000;
  var REQUEST_TIMEOUT_MS = 10000;

  var tickets = new Map(); // open tickets by id
  var done = []; // recently done tickets, newest first
  var live = null; // the socket (cafepos/live_socket.js), opened once the tickets are on screen
  var requestCounter = 0;
  var pendingRequests = new Map(); // request_id -> button
  var soundOn = window.localStorage.getItem("kds-sound") === "on";
  var audio = null;

  // -- rendering -------------------------------------------------------------------------------------------

  function tableLabel(ticket) {
    if (ticket.table_id === null || ticket.table_id === undefined) return "";
    var label = display.tables[String(ticket.table_id)];
    return interpolate(gettext("Table %(label)s"), { label: label || ticket.table_id }, true);
  }

  function actionButton(ticket, type, label) {
    var button = el("button", "kds-action kds-action-" + type.split(".")[1], label);
    button.type = "button";
    button.setAttribute("data-action", type);
    button.setAttribute("data-ticket-id", String(ticket.id));
    return button;
  }

  function renderLines(ticket) {
    var list = el("ul", "ticket-lines");
    ticket.items.forEach(function (item) {
      var row = el("li", "ticket-line" + (item.voided ? " is-void" : ""));
      var head = el("div", "ticket-line-head");
      head.appendChild(el("span", "ticket-qty", item.quantity + "×"));
      head.appendChild(el("span", "ticket-name", item.name));
      if (item.voided) head.appendChild(el("span", "ticket-void", pgettext("kitchen ticket line", "VOID")));
      row.appendChild(head);
      if (item.modifiers.length) {
        var mods = el("ul", "ticket-mods");
        item.modifiers.forEach(function (name) { mods.appendChild(el("li", null, name)); });
        row.appendChild(mods);
      }
      if (item.note) row.appendChild(el("p", "ticket-note", item.note));
      list.appendChild(row);
    });
    return list;
  }

  function renderTicket(ticket) {
    var card = el("article", "ticket");
    card.setAttribute("data-ticket-id", String(ticket.id));
    card.setAttribute("data-status", ticket.status);
    var head = el("header", "ticket-head");
    head.appendChild(el("span", "ticket-number", ticket.order_number));
    head.appendChild(el("span", "ticket-type", UI.orderTypeName(ticket.order_type)));
    var table = tableLabel(ticket);
    if (table) head.appendChild(el("span", "ticket-table", table));
    var timer = el("time", "ticket-timer");
    timer.setAttribute("datetime", ticket.created_at);
    head.appendChild(timer);
    card.appendChild(head);
    card.appendChild(renderLines(ticket));
    var foot = el("footer", "ticket-foot");
    if (ticket.status === "NEW") {
      foot.appendChild(actionButton(ticket, "ticket.start", pgettext("kitchen ticket", "Start")));
    } else {
      foot.appendChild(el("span", "ticket-state", gettext("In progress")));
      foot.appendChild(actionButton(ticket, "ticket.bump", pgettext("kitchen ticket", "Bump")));
    }
    card.appendChild(foot);
    updateTimer(card, Date.now());
    return card;
  }

  function renderDone() {
    doneList.textContent = "";
    done.forEach(function (ticket) {
      var item = el("li", "kds-done-item");
      item.setAttribute("data-ticket-id", String(ticket.id));
      item.appendChild(el("span", "ticket-number", ticket.order_number));
      item.appendChild(actionButton(ticket, "ticket.recall", pgettext("kitchen ticket", "Recall")));
      doneList.appendChild(item);
    });
  }

  function byAge(a, b) {
    var ta = Date.parse(a.created_at), tb = Date.parse(b.created_at);
    return ta === tb ? a.id - b.id : ta - tb;
  }

  function renderGrid() {
    var ordered = Array.from(tickets.values()).sort(byAge);
    var existing = new Map();
    grid.querySelectorAll(".ticket").forEach(function (card) {
      existing.set(card.getAttribute("data-ticket-id"), card);
    });
    var cards = ordered.map(function (ticket) {
      var card = existing.get(String(ticket.id));
      if (!card || card.getAttribute("data-version") !== ticket.updated_at) {
        card = renderTicket(ticket);
        card.setAttribute("data-version", ticket.updated_at);
      }
      return card;
    });
    grid.replaceChildren.apply(grid, cards);
    emptyNote.hidden = cards.length > 0;
  }

  function updateTimer(card, now) {
    var timer = card.querySelector(".ticket-timer");
    var elapsed = Math.max(0, Math.floor((now - Date.parse(timer.getAttribute("datetime"))) / 1000));
    var minutes = Math.floor(elapsed / 60);
    var seconds = elapsed % 60;
    timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    card.classList.toggle("is-amber", minutes >= display.amberMinutes && minutes < display.redMinutes);
    card.classList.toggle("is-red", minutes >= display.redMinutes);
  }

  function tick() {
    var now = Date.now();
    grid.querySelectorAll(".ticket").forEach(function (card) { updateTimer(card, now); });
  }

  // -- state -----------------------------------------------------------------------------------------------

  function applyTicket(ticket, isNew) {
    if (ticket.station !== display.station) return;
    var id = ticket.id;
    done = done.filter(function (other) { return other.id !== id; });
    if (ticket.order_status === "CANCELLED") {
      tickets.delete(id);
    } else if (ticket.status === "DONE") {
      tickets.delete(id);
      done.unshift(ticket);
      done = done.slice(0, DONE_KEPT);
    } else {
      if (isNew && !tickets.has(id)) chime();
      tickets.set(id, ticket);
    }
    renderGrid();
    renderDone();
  }

  // -- sound -----------------------------------------------------------------------------------------------

  function showSound() {
    soundButton.textContent = soundOn ? pgettext("kitchen sound", "Sound on") : pgettext("kitchen sound", "Sound off");
    soundButton.setAttribute("aria-pressed", soundOn ? "true" : "false");
  }

  function chime() {
    if (!soundOn || !audio) return;
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.6);
  }

  soundButton.addEventListener("click", function () {
    soundOn = !soundOn;
    window.localStorage.setItem("kds-sound", soundOn ? "on" : "off");
    if (soundOn && !audio && window.AudioContext) audio = new window.AudioContext(); // needs this tap
    showSound();
    chime();
  });

  // -- messages to the server -----------------------------------------------------------------------------

  function settle(requestId) {
    var button = pendingRequests.get(requestId);
    if (!button) return;
    pendingRequests.delete(requestId);
    button.disabled = false;
    button.classList.remove("is-busy");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button || button.disabled) return;
    requestCounter += 1;
    var requestId = "kds-" + Date.now().toString(36) + "-" + requestCounter;
    var sent = live.send({
      type: button.getAttribute("data-action"),
      ticket_id: Number(button.getAttribute("data-ticket-id")),
      request_id: requestId,
    });
    if (!sent) {
      showToast(gettext("Not connected: try again in a moment."));
      return;
    }
    button.disabled = true;
    button.classList.add("is-busy");
    pendingRequests.set(requestId, button);
    window.setTimeout(function () { settle(requestId); }, REQUEST_TIMEOUT_MS);
  });

  // -- connection (cafepos/live_socket.js) ------------------------------------------------------------------

  function setConnected(connected) {
    banner.hidden = connected;
    statusLabel.textContent = connected ? pgettext("connection", "Live") : pgettext("connection", "Offline");
    statusLabel.classList.toggle("is-offline", !connected);
    document.body.classList.toggle("kds-offline", !connected);
  }

  function onMessage(message) {
    switch (message.type) {
      case "auth.ok":
        setConnected(true);
        break;
      case "ticket.created":
      case "ticket.updated":
        applyTicket(message.data.ticket, message.type === "ticket.created");
        break;
      case "resync.required":
        if (reloadAllowed()) window.location.reload();
        break;
      case "ack":
        settle(message.request_id);
        break;
      case "error":
        settle(message.request_id);
        showToast(message.message);
        break;
    }
  }

  function onClose(event) {
    setConnected(false);
    pendingRequests.forEach(function (_, requestId) { settle(requestId); });
    if ((event.code === 4001 || event.code === 4003) && reloadAllowed()) {
      window.location.reload(); // signed out or no longer allowed: the page sends us to sign in
      return false;
    }
  }

  function onRetry(delay) {
    statusLabel.textContent = interpolate(gettext("Offline — retrying in %(seconds)s s"), { seconds: Math.ceil(delay / 1000) }, true);
  }

  function reloadAllowed() {
    // At most one reload a minute, so a socket that keeps refusing cannot make the page reload in a loop.
    var last = Number(window.sessionStorage.getItem("kds-reloaded-at") || 0);
    if (Date.now() - last < 60000) return false;
    window.sessionStorage.setItem("kds-reloaded-at", String(Date.now()));
    return true;
  }

  display.tickets.forEach(function (ticket) { tickets.set(ticket.id, ticket); });
  showSound();
  renderGrid();
  renderDone();
  window.setInterval(tick, 1000);
  live = window.CafePOSLiveSocket({
    url: function (since) {
      return "/ws/v1/kitchen/?station=" + encodeURIComponent(display.station) + "&since=" + encodeURIComponent(since);
    },
    since: display.since,
    pingSeconds: display.pingSeconds,
    backoffMaxMs: BACKOFF_MAX_MS,
    onMessage: onMessage,
    onClose: onClose,
    onRetry: onRetry,
  });
})();
