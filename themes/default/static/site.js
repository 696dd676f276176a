/* Loads the search code only when a reader reaches for the search box; `/` focuses it.
   A file of its own rather than inline, so that every page does not carry it again. */
(function () {
  var form = document.querySelector("form.site-search");
  if (!form) return;
  var input = form.querySelector("input");
  var loaded = false;
  function load() {
    if (loaded) return;
    loaded = true;
    var s = document.createElement("script");
    s.src = form.dataset.script;
    document.head.appendChild(s);
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", load);
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    // The header stays in view, so focusing never needs to scroll the page.
    input.focus({ preventScroll: true });
  });
  if (document.getElementById("kb-search-page-input")) load();
})();

/* The menu and the sidebar. On screens too narrow for the sidebar beside the page, the sidebar
   moves into the header's menu (without JavaScript it stays after the page, a plain list). The
   current page is scrolled into view inside the sidebar, and Escape closes the menu. */
(function () {
  var menu = document.querySelector("details.site-menu");
  var sidebar = document.querySelector(".docs-layout__nav nav.docs-nav");
  var panel = menu && menu.querySelector(".site-menu__panel");
  var home = sidebar && sidebar.parentNode;
  // The width at which style.css puts the sidebar beside the page.
  var narrow = window.matchMedia("(max-width: 71.99rem)");
  function place() {
    if (!panel || !sidebar) return;
    if (narrow.matches && sidebar.parentNode !== panel) {
      panel.appendChild(sidebar);
      menu.classList.add("has-docs-nav");
    } else if (!narrow.matches && sidebar.parentNode !== home) {
      home.appendChild(sidebar);
      menu.classList.remove("has-docs-nav");
    }
  }
  function showCurrent() {
    var current = sidebar && sidebar.querySelector("a[aria-current=page]");
    // The sidebar or the menu panel, whichever scrolls; never the page itself.
    var box = current && (sidebar.parentNode === panel ? panel : sidebar);
    if (!box || box.scrollHeight <= box.clientHeight) return;
    var top = current.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += top - box.clientHeight / 3;
  }
  place();
  showCurrent();
  if (narrow.addEventListener) narrow.addEventListener("change", function () { place(); showCurrent(); });
  if (!menu) return;
  menu.addEventListener("toggle", function () { if (menu.open) showCurrent(); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (e) {
    if (menu.open && !menu.contains(e.target)) menu.open = false;
  });
})();

/* The colour scheme switch: the system's scheme, light, dark, in turn; the choice is kept in
   localStorage and applied before the first paint by the script in <head>. */
(function () {
  var button = document.querySelector("button.theme-switch");
  if (!button) return;
  var root = document.documentElement;
  var order = ["auto", "light", "dark"];
  function show(mode) {
    var label = button.dataset[mode];
    button.setAttribute("aria-label", label);
    button.title = label;
  }
  show(root.dataset.theme || "auto");
  button.addEventListener("click", function () {
    var next = order[(order.indexOf(root.dataset.theme || "auto") + 1) % order.length];
    if (next === "auto") delete root.dataset.theme;
    else root.dataset.theme = next;
    try {
      if (next === "auto") localStorage.removeItem("kb-theme");
      else localStorage.setItem("kb-theme", next);
    } catch (e) { /* storage off: the choice lasts for this page */ }
    show(next);
  });
})();

/* The table of contents marks the heading being read (`aria-current="location"`): the last
   one whose top has passed the upper third of the screen. */
(function () {
  var toc = document.querySelector(".article__toc nav.toc");
  if (!toc || !("IntersectionObserver" in window)) return;
  var links = Array.prototype.slice.call(toc.querySelectorAll('a[href^="#"]'));
  var headings = links.map(function (a) {
    return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
  });
  var current = null;
  function update() {
    var line = window.innerHeight / 3;
    var found = -1;
    headings.forEach(function (h, i) {
      if (h && h.getBoundingClientRect().top <= line) found = i;
    });
    var link = found >= 0 ? links[found] : null;
    if (link === current) return;
    if (current) current.removeAttribute("aria-current");
    if (link) link.setAttribute("aria-current", "location");
    current = link;
  }
  var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -66% 0px" });
  headings.forEach(function (h) { if (h) observer.observe(h); });
  update();
})();

/* Sidebar groups fold: the groups on the way to this page are open (the others show no
   articles), and a button beside each one's link closes or opens it. Without JavaScript they
   stay open. */
(function () {
  var lists = document.querySelectorAll(".docs-nav li.is-expanded > ul");
  Array.prototype.forEach.call(lists, function (list, i) {
    var item = list.parentNode;
    var link = item.querySelector(":scope > a");
    if (!link) return;
    if (!list.id) list.id = "docs-nav-group-" + i;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "docs-nav__toggle";
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-controls", list.id);
    button.setAttribute("aria-label", link.textContent);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      list.hidden = !open;
    });
    item.classList.add("has-toggle");
    item.insertBefore(button, list);
  });
})();
