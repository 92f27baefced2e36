// Reports dashboard: draws the charts from the JSON the page embeds, and follows running exports.
(function () {
  "use strict";

  function money(minor, places) {
    return minor / Math.pow(10, places);
  }

  function bar(id, labels, datasets, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) return;
    new window.Chart(canvas, {
      type: (options && options.type) || "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, options || {}),
    });
  }

  function drawCharts() {
    var source = document.getElementById("report-charts");
    if (!source) return;
    var c = JSON.parse(source.textContent);
    var p = c.places;
    var toMoney = function (values) { return values.map(function (v) { return money(v, p); }); };
    // Axes and tooltips print amounts as the server does (cafepos/static/cafepos/money_format.js).
    var printed = window.CafePOSMoney.formatter(c.money);
    var print = function (major) { return printed.format(Math.round(major * Math.pow(10, p))); };
    var tooltip = { callbacks: { label: function (item) { return print(item.raw); } } };
    var moneyAxis = function (axis) {
      var scales = {};
      scales[axis] = { ticks: { callback: function (value) { return print(value); } } };
      return scales;
    };
    var net = interpolate(gettext("Net %(currency)s"), { currency: c.currency }, true);
    bar("chart-days", c.days.labels, [{ label: net, data: toMoney(c.days.net), backgroundColor: "#417690" }], {
      scales: moneyAxis("y"), plugins: { tooltip: tooltip },
    });
    bar("chart-hours", c.hours.labels, [{ label: net, data: toMoney(c.hours.net), backgroundColor: "#79aec8" }], {
      scales: moneyAxis("y"), plugins: { tooltip: tooltip },
    });
    var itemScales = moneyAxis("x");
    itemScales.y = { ticks: { autoSkip: false } };
    bar("chart-items", c.items.labels, [{ label: net, data: toMoney(c.items.net), backgroundColor: "#5b8a3c" }], {
      indexAxis: "y", scales: itemScales, plugins: { tooltip: tooltip },
    });
    bar("chart-payments", c.payments.labels, [{ data: toMoney(c.payments.net), backgroundColor: ["#417690", "#f5a623", "#9b59b6"] }], {
      type: "doughnut", plugins: { tooltip: tooltip },
    });
    bar("chart-kitchen", c.kitchen.labels, [
      { label: "p50", data: c.kitchen.p50, backgroundColor: "#79aec8" },
      { label: "p90", data: c.kitchen.p90, backgroundColor: "#ba2121" },
    ]);
  }

  function followExports() {
    var rows = document.querySelectorAll(".export-job");
    rows.forEach(function (row) {
      if (row.dataset.status === "DONE" || row.dataset.status === "FAILED") return;
      var timer = setInterval(function () {
        fetch(row.dataset.statusUrl, { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (job) {
            row.querySelector("progress").value = job.progress;
            row.querySelector(".job-rows").textContent = job.rows;
            row.querySelector(".job-status").textContent = job.status;
            if (job.download) {
              var link = document.createElement("a");
              link.href = job.download;
              link.textContent = gettext("Download");
              row.querySelector(".job-download").replaceChildren(link);
            }
            if (job.status === "DONE" || job.status === "FAILED") clearInterval(timer);
          })
          .catch(function () { clearInterval(timer); });
      }, 2000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    followExports();
  });
})();
