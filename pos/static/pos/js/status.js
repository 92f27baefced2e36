// CafePOS terminal: the status page (/pos/status/). Whether the browser keeps this terminal's data
// (persistent storage), what waits in the outbox, when it last reached the server, and the live socket's state.
(function () {
  "use strict";

  var POS = window.CafePOS;

  function show(name, text) { POS.$('[data-status="' + name + '"]').textContent = text; }

  POS.storagePersisted.then(function (persisted) {
    var words = { true: gettext("Persistent"), false: gettext("Not persistent"), null: gettext("Unknown: this browser does not say") };
    show("storage", words[persisted]);
    POS.$("[data-status-storage-hint]").hidden = persisted !== false;
  });

  function showQueue(entries) {
    var refused = entries.filter(function (entry) { return entry.error; }).length;
    var waiting = entries.length - refused;
    var text = interpolate(ngettext("%(count)s order or payment", "%(count)s orders or payments", waiting), { count: waiting }, true);
    if (refused) text += " · " + interpolate(ngettext("%(count)s to fix", "%(count)s to fix", refused), { count: refused }, true);
    show("queue", text);
    var last = POS.sync.lastSync();
    show("last-sync", last ? POS.dates.datetime(last) : gettext("Nothing sent from this terminal yet"));
  }

  var SOCKET_WORDS = {
    open: gettext("Connected"),
    connecting: gettext("Connecting…"),
    closed: gettext("Disconnected: trying again"),
  };
  function showSocket(state) { show("socket", SOCKET_WORDS[state]); }

  POS.on("outbox.changed", showQueue);
  POS.on("socket", showSocket);
  showSocket(POS.socketState);
  POS.sync.refresh();
})();
