// CafePOS terminal: the floor plan (/pos/floor/). Tables sit on their area's grid, coloured by their derived
// status — FREE, OCCUPIED, NEEDS_ATTENTION (an order is ready) — refreshed live from the orders socket.
// Tap a free table to start its order, a busy one to open its order.
(function () {
  "use strict";

  var POS = window.CafePOS;
  var config = POS.config;
  var $ = POS.$, el = POS.el;
  var STATUS_NAMES = { FREE: pgettext("table status", "Free"), OCCUPIED: gettext("Occupied"), NEEDS_ATTENTION: gettext("Needs attention") };
  var statuses = {};
  var refreshTimer = null;

  function setStatuses(list) {
    statuses = {};
    list.forEach(function (s) { statuses[s.table_id] = s; });
  }

  function render() {
    var plan = $("[data-floor]");
    plan.textContent = "";
    var areas = [];
    config.tables.forEach(function (table) {
      var area = areas.find(function (a) { return a.name === table.area; });
      if (!area) areas.push((area = { name: table.area, tables: [] }));
      area.tables.push(table);
    });
    areas.forEach(function (area) {
      var section = el("section", "floor-area");
      section.appendChild(el("h2", null, area.name));
      var grid = el("div", "floor-grid");
      area.tables.forEach(function (table) {
        var status = statuses[table.id] || { status: "FREE", open_order_ids: [] };
        var button = POS.button("floor-table status-" + status.status.toLowerCase(), null, { table: table.id });
        button.setAttribute("data-status", status.status);
        var label = el("span", "floor-label", table.label);
        label.insertBefore(el("span", "visually-hidden", gettext("Table") + " "), label.firstChild); // its name: "Table 7 4 seats Free"
        button.appendChild(label);
        button.appendChild(el("span", "floor-seats", interpolate(ngettext("%(count)s seat", "%(count)s seats", table.seats), { count: table.seats }, true)));
        button.appendChild(el("span", "floor-status", STATUS_NAMES[status.status]));
        button.style.gridColumn = String(table.x + 1); // the CSSOM, not a style attribute: allowed by the CSP
        button.style.gridRow = String(table.y + 1);
        grid.appendChild(button);
      });
      section.appendChild(grid);
      plan.appendChild(section);
    });
  }

  function refresh() {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(function () {
      POS.api.get("/api/v1/tables/").then(function (answer) {
        setStatuses(answer.results);
        render();
      }, function () {});
    }, 200);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-table]");
    if (!button) return;
    var id = Number(button.getAttribute("data-table"));
    var status = statuses[id];
    if (status && status.open_order_ids.length) {
      window.location.href = config.urls.orders + "?order=" + status.open_order_ids[status.open_order_ids.length - 1];
    } else {
      window.location.href = config.urls.register + "?table=" + id;
    }
  });

  POS.on("ws:event", function (message) { if (message.type.indexOf("order.") === 0) refresh(); });
  POS.on("ws:resync", refresh);
  setStatuses(config.statuses);
  render();
})();
