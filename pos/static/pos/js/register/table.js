// The register's table picker for a dine-in order: the location's tables by area, coloured by their live
// status once the server has answered (free, occupied, needs attention).
(window.CafePOS.registerDialogs = window.CafePOS.registerDialogs || {}).table = function (POS, register) {
  "use strict";

  var $ = POS.$, el = POS.el, config = POS.config;

  var tableDialog = $("[data-table-dialog]");
  var STATUS_NAMES = {
    FREE: pgettext("table status, in a sentence", "free"), OCCUPIED: pgettext("table status, in a sentence", "occupied"),
    NEEDS_ATTENTION: pgettext("table status, in a sentence", "needs attention"),
  };

  function renderTables(statuses) {
    var list = $("[data-table-list]", tableDialog);
    list.textContent = "";
    var byId = {};
    (statuses || []).forEach(function (s) { byId[s.table_id] = s.status; });
    var area = null;
    config.tables.forEach(function (table) {
      if (table.area !== area) {
        area = table.area;
        list.appendChild(el("h3", "table-area", area));
      }
      var status = byId[table.id] || "";
      var button = POS.button("table-choice status-" + status.toLowerCase(), table.label, { table: table.id });
      button.setAttribute("aria-pressed", table.id === register.cart().table_id ? "true" : "false");
      var seats = interpolate(ngettext("%(count)s seat", "%(count)s seats", table.seats), { count: table.seats }, true);
      button.appendChild(el("span", "table-seats", seats + (status ? " · " + (STATUS_NAMES[status] || status) : "")));
      list.appendChild(button);
    });
  }

  function openTables() {
    renderTables();
    POS.openDialog(tableDialog);
    POS.api.get("/api/v1/tables/").then(function (answer) { renderTables(answer.results); }, function () {});
  }

  tableDialog.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-table]");
    if (choice) {
      register.cart().table_id = Number(choice.getAttribute("data-table"));
      POS.closeDialog(tableDialog);
      register.changed();
    } else if (event.target.closest("[data-dialog-close]")) {
      POS.closeDialog(tableDialog);
    }
  });

  return { open: openTables };
};
