// The register's modifier dialog: an item's option groups, their rules (at least, at most, required) checked
// as options are tapped, sold-out options disabled; "Add" puts the item with its options in the cart. What is
// missing is said once Add was tapped, not before the cashier had a chance to choose.
(window.CafePOS.registerDialogs = window.CafePOS.registerDialogs || {}).modifiers = function (POS, register) {
  "use strict";

  var $ = POS.$, el = POS.el;

  var modDialog = $("[data-mod-dialog]");
  var modItem = null;
  var chosen = [];
  var attempted = false; // Add was tapped with something missing: the groups say what

  function groupRule(group) {
    var minimum = Math.max(group.min_selections, group.is_required ? 1 : 0);
    var counts = { minimum: minimum, maximum: group.max_selections };
    if (group.max_selections === 1) return minimum ? gettext("Choose 1") : gettext("Optional · up to 1");
    if (minimum && group.max_selections) return interpolate(gettext("Choose at least %(minimum)s, up to %(maximum)s"), counts, true);
    if (minimum) return interpolate(gettext("Choose at least %(minimum)s, any number"), counts, true);
    if (group.max_selections) return interpolate(gettext("Optional · up to %(maximum)s"), counts, true);
    return gettext("Optional · any number");
  }

  function renderModDialog() {
    var problems = attempted ? POS.pricing.groupProblems(modItem, chosen) : {};
    var body = $("[data-mod-groups]", modDialog);
    body.textContent = "";
    modItem.modifier_groups.forEach(function (group) {
      var set = el("fieldset", "mod-group" + (problems[group.id] ? " is-incomplete" : ""));
      var legend = el("legend", null, group.name);
      legend.appendChild(el("span", "mod-rule", " · " + groupRule(group)));
      set.appendChild(legend);
      var options = el("div", "mod-options");
      group.modifiers.forEach(function (modifier) {
        var label = modifier.name + (modifier.price_delta ? " " + (modifier.price_delta > 0 ? "+" : "−") + POS.money(Math.abs(modifier.price_delta)) : "");
        var option = POS.button("mod", label, { modifier: modifier.id, group: group.id });
        option.setAttribute("aria-pressed", chosen.indexOf(modifier.id) >= 0 ? "true" : "false");
        if (modifier.is_sold_out) {
          option.disabled = true;
          option.textContent = interpolate(gettext("%(modifier)s · sold out"), { modifier: modifier.name }, true);
        }
        options.appendChild(option);
      });
      set.appendChild(options);
      if (problems[group.id]) set.appendChild(el("p", "field-error", problems[group.id]));
      body.appendChild(set);
    });
    var unit = modItem.price + selectedModifiers().reduce(function (sum, m) { return sum + m.price_delta; }, 0);
    var add = $("[data-mod-add]", modDialog);
    add.textContent = interpolate(gettext("Add · %(amount)s"), { amount: POS.money(unit) }, true);
  }

  function selectedModifiers() {
    var all = [];
    modItem.modifier_groups.forEach(function (group) {
      group.modifiers.forEach(function (m) { if (chosen.indexOf(m.id) >= 0) all.push(m); });
    });
    return all;
  }

  function openModifiers(item) {
    modItem = item;
    chosen = [];
    attempted = false;
    $("[data-mod-title]", modDialog).textContent = item.name;
    renderModDialog();
    POS.openDialog(modDialog);
  }

  modDialog.addEventListener("click", function (event) {
    var option = event.target.closest("[data-modifier]");
    if (option && !option.disabled) {
      var id = Number(option.getAttribute("data-modifier"));
      var group = modItem.modifier_groups.find(function (g) { return g.id === Number(option.getAttribute("data-group")); });
      var inGroup = group.modifiers.map(function (m) { return m.id; });
      if (chosen.indexOf(id) >= 0) {
        chosen = chosen.filter(function (other) { return other !== id; });
      } else if (group.max_selections === 1) {
        chosen = chosen.filter(function (other) { return inGroup.indexOf(other) < 0; }).concat([id]);
      } else if (group.max_selections && chosen.filter(function (o) { return inGroup.indexOf(o) >= 0; }).length >= group.max_selections) {
        POS.toast(interpolate(gettext("%(group)s: at most %(count)s."), { group: group.name, count: group.max_selections }, true), "error");
        return;
      } else {
        chosen.push(id);
      }
      renderModDialog();
    } else if (event.target.closest("[data-mod-add]")) {
      if (Object.keys(POS.pricing.groupProblems(modItem, chosen)).length) {
        attempted = true;
        renderModDialog();
        var missing = $(".mod-group.is-incomplete [data-modifier]:not(:disabled)", modDialog);
        if (missing) missing.focus();
        return;
      }
      register.addLine(modItem, selectedModifiers());
      POS.closeDialog(modDialog);
    } else if (event.target.closest("[data-dialog-close]")) {
      POS.closeDialog(modDialog);
    }
  });

  return {
    open: openModifiers,
    // After a sold-out flip: the open dialog shows the options as they are now.
    refresh: function () { if (modItem && modDialog.open) renderModDialog(); },
  };
};
