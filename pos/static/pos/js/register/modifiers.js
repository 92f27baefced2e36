// The register's modifier dialog: an item's option groups, their rules (at least, at most, required) checked
// as options are tapped, sold-out options disabled; "Add" puts the item with its options in the cart.
(window.CafePOS.registerDialogs = window.CafePOS.registerDialogs || {}).modifiers = function (POS, register) {
  "use strict";

  var $ = POS.$, el = POS.el;

  var modDialog = $("[data-mod-dialog]");
  var modItem = null;
  var chosen = [];

  function groupRule(group) {
    var minimum = Math.max(group.min_selections, group.is_required ? 1 : 0);
    if (group.max_selections === 1) return minimum ? "Choose 1" : "Optional · up to 1";
    var max = group.max_selections ? "up to " + group.max_selections : "any number";
    return (minimum ? "Choose at least " + minimum + ", " : "Optional · ") + max;
  }

  function renderModDialog() {
    var problems = POS.pricing.groupProblems(modItem, chosen);
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
          option.textContent = modifier.name + " · sold out";
        }
        options.appendChild(option);
      });
      set.appendChild(options);
      if (problems[group.id]) set.appendChild(el("p", "field-error", problems[group.id]));
      body.appendChild(set);
    });
    var unit = modItem.price + selectedModifiers().reduce(function (sum, m) { return sum + m.price_delta; }, 0);
    var add = $("[data-mod-add]", modDialog);
    add.textContent = "Add · " + POS.money(unit);
    add.disabled = Object.keys(problems).length > 0;
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
        POS.toast(group.name + ": at most " + group.max_selections + ".", "error");
        return;
      } else {
        chosen.push(id);
      }
      renderModDialog();
    } else if (event.target.closest("[data-mod-add]")) {
      if (Object.keys(POS.pricing.groupProblems(modItem, chosen)).length) return;
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
