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
  var bannerText = banner.textContent; // "Connection lost — reconnecting…", until a retry is scheduled
  var emptyNote = document.querySelector("[data-kds-empty]");
  var statusLabel = document.querySelector("[data-kds-status]");
  var soundButton = document.querySelector("[data-kds-sound]");
  var announcer = document.querySelector("[data-kds-announce]");
  var showToast = UI.toaster(document.querySelector("[data-kds-toast]"), 5000);

  var BACKOFF_MAX_MS = 30000;
  var REQUEST_TIMEOUT_MS = 10000;

  var tickets = new Map(); // open tickets by id
  var done = display.done; // recently done tickets, newest first (the server's, at load; then live)
  var live = null; // the socket (cafepos/live_socket.js), opened once the tickets are on screen
  var requestCounter = 0;
  var pendingRequests = new Map(); // request_id -> button
  var soundOn = window.localStorage.getItem("kds-sound") === "on";
  var audio = null;
  var selectedId = null; // the ticket the keyboard works on (a bump bar is a keyboard)
  var selectedIndex = 0; // where it was, so a bumped ticket's place passes to the next one

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
    card.tabIndex = -1; // the keyboard's selection focuses it
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
    var focusWasInGrid = grid.contains(document.activeElement);
    grid.replaceChildren.apply(grid, cards);
    emptyNote.hidden = cards.length > 0;
    showSelection(focusWasInGrid && !grid.contains(document.activeElement)); // a replaced card keeps the focus
  }

  // -- the keyboard: 1–9 select the nth ticket, arrows move, Enter its next step, S start, B bump, R recall ----

  function cardsOnScreen() { return Array.from(grid.querySelectorAll(".ticket")); }

  function showSelection(refocus) {
    var cards = cardsOnScreen();
    var index = cards.findIndex(function (card) { return card.getAttribute("data-ticket-id") === String(selectedId); });
    if (index < 0 && selectedId !== null) {
      index = cards.length ? Math.min(selectedIndex, cards.length - 1) : -1; // the next ticket takes its place
      selectedId = index < 0 ? null : Number(cards[index].getAttribute("data-ticket-id"));
    }
    cards.forEach(function (card, n) { card.classList.toggle("is-selected", n === index); });
    if (index < 0) return;
    selectedIndex = index;
    if (refocus) cards[index].focus();
  }

  function select(index) {
    var cards = cardsOnScreen();
    if (!cards.length) return;
    selectedIndex = Math.max(0, Math.min(index, cards.length - 1));
    selectedId = Number(cards[selectedIndex].getAttribute("data-ticket-id"));
    showSelection(true);
  }

  function pressOnSelected(selector) {
    var card = selectedId === null ? null : grid.querySelector('.ticket[data-ticket-id="' + selectedId + '"]');
    var button = card && card.querySelector(selector);
    if (button) button.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var onControl = event.target.closest && event.target.closest("button, a, input, select, textarea, summary");
    var rtl = document.documentElement.dir === "rtl";
    var key = event.key;
    if (/^[1-9]$/.test(key)) select(Number(key) - 1);
    else if (key === "ArrowDown" || key === (rtl ? "ArrowLeft" : "ArrowRight")) select(selectedId === null ? 0 : selectedIndex + 1);
    else if (key === "ArrowUp" || key === (rtl ? "ArrowRight" : "ArrowLeft")) select(selectedId === null ? 0 : selectedIndex - 1);
    else if (key === "Enter" && !onControl) pressOnSelected("[data-action]");
    else if (key === "s" || key === "S") pressOnSelected('[data-action="ticket.start"]');
    else if (key === "b" || key === "B") pressOnSelected('[data-action="ticket.bump"]');
    else if (key === "r" || key === "R") {
      var recall = doneList.querySelector('[data-action="ticket.recall"]'); // the newest done ticket
      if (recall) recall.click();
    } else if (key === "Escape") {
      selectedId = null;
      showSelection(false);
    } else return;
    event.preventDefault();
  });

  function announce(ticket) {
    var table = tableLabel(ticket);
    announcer.textContent = table
      ? interpolate(gettext("New ticket %(number)s for %(table)s"), { number: ticket.order_number, table: table }, true)
      : interpolate(gettext("New ticket %(number)s"), { number: ticket.order_number }, true);
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
      done = done.slice(0, display.doneKept);
    } else {
      if (isNew && !tickets.has(id)) {
        chime();
        announce(ticket);
      }
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
    banner.textContent = bannerText;
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
    // The countdown goes in the banner, which has the room; the top bar keeps its short "Offline".
    banner.textContent = interpolate(gettext("Connection lost — retrying in %(seconds)s s"), { seconds: Math.ceil(delay / 1000) }, true);
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
