/* Tabs of the tabs component, on pages that use it only (partials/content_scripts.html).
 * Without this script every panel shows, one after another, under its label. With it, the
 * labels become an ARIA tab list: arrow keys, Home and End move between tabs, and picking a
 * tab of a group (`tabs(group="social")`) picks the same label in every group of that name,
 * on this page and, through localStorage, on the next ones. */
(function () {
  "use strict";
  if (window.__kbsiteTabs) return;
  window.__kbsiteTabs = true;
  var KEY = "kb-tabs:";
  var sets = [];

  function remembered(group) {
    try { return group ? localStorage.getItem(KEY + group) : null; } catch (e) { return null; }
  }

  function remember(group, label) {
    try { if (group) localStorage.setItem(KEY + group, label); } catch (e) { /* private mode */ }
  }

  function select(set, index, focus) {
    for (var i = 0; i < set.tabs.length; i++) {
      var on = i === index;
      set.tabs[i].setAttribute("aria-selected", on ? "true" : "false");
      set.tabs[i].tabIndex = on ? 0 : -1;
      set.panels[i].hidden = !on;
    }
    set.current = index;
    if (focus) set.tabs[index].focus();
  }

  // Picks `label` in every set of `group` that has it.
  function selectInGroup(group, label) {
    for (var s = 0; s < sets.length; s++) {
      var set = sets[s];
      if (set.group !== group) continue;
      var i = set.labels.indexOf(label);
      if (i >= 0 && i !== set.current) select(set, i, false);
    }
  }

  function pick(set, index, focus) {
    select(set, index, focus);
    if (set.group) {
      remember(set.group, set.labels[index]);
      selectInGroup(set.group, set.labels[index]);
    }
  }

  function build(box, n) {
    var panels = [];
    for (var c = 0; c < box.children.length; c++) {
      if (box.children[c].classList.contains("tabs__panel")) panels.push(box.children[c]);
    }
    if (!panels.length) return;
    var set = { box: box, group: box.getAttribute("data-group") || "", tabs: [], panels: panels, labels: [], current: 0 };
    var list = document.createElement("div");
    list.className = "tabs__list";
    list.setAttribute("role", "tablist");
    if (box.getAttribute("data-label")) list.setAttribute("aria-label", box.getAttribute("data-label"));
    panels.forEach(function (panel, i) {
      var label = panel.getAttribute("data-label") || String(i + 1);
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tabs__tab";
      tab.id = "kb-tabs-" + n + "-tab-" + i;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", "kb-tabs-" + n + "-panel-" + i);
      tab.textContent = label;
      panel.id = "kb-tabs-" + n + "-panel-" + i;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tab.addEventListener("click", function () { pick(set, i, false); });
      list.appendChild(tab);
      set.tabs.push(tab);
      set.labels.push(label);
    });
    list.addEventListener("keydown", function (event) {
      var last = set.tabs.length - 1;
      var to = null;
      if (event.key === "ArrowRight") to = set.current === last ? 0 : set.current + 1;
      else if (event.key === "ArrowLeft") to = set.current === 0 ? last : set.current - 1;
      else if (event.key === "Home") to = 0;
      else if (event.key === "End") to = last;
      if (to === null) return;
      event.preventDefault();
      pick(set, to, true);
    });
    box.insertBefore(list, box.firstChild);
    box.classList.add("tabs--ready");
    var saved = set.labels.indexOf(remembered(set.group));
    select(set, saved >= 0 ? saved : 0, false);
    sets.push(set);
  }

  var boxes = document.querySelectorAll(".tabs");
  for (var i = 0; i < boxes.length; i++) build(boxes[i], i);
  // Another tab of the browser picked a label of a group.
  window.addEventListener("storage", function (event) {
    if (event.key && event.key.indexOf(KEY) === 0 && event.newValue) {
      selectInGroup(event.key.slice(KEY.length), event.newValue);
    }
  });
})();
