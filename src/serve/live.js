/* kbsite preview: reloads the page after a rebuild, keeping the scroll position; swaps the
 * stylesheets after a change that touched only CSS; shows build errors over the page until
 * they are fixed. Served by `kbsite serve` only, never part of a built site. */
(function () {
  "use strict";
  var KEY = "kbsite-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    // Restored by this script alone (the browser's own restoring would race with it), again
    // once the page, its images and its fonts are laid out.
    history.scrollRestoration = "manual";
    var restore = function () { window.scrollTo(0, Number(saved)); };
    restore();
    window.addEventListener("load", function () {
      restore();
      requestAnimationFrame(restore);
      if (document.fonts && document.fonts.ready) document.fonts.ready.then(restore);
    });
  }
  var MONO = "font:14px/1.55 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
  /* A fixed box of preview messages, added to the page. */
  function panel(id, role, css) {
    var box = document.createElement("div");
    box.id = id;
    box.setAttribute("role", role);
    box.style.cssText = "position:fixed;overflow:auto;margin:0;white-space:pre-wrap;" + MONO + css;
    document.body.appendChild(box);
    return box;
  }
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = panel("kbsite-error-overlay", "alert",
        "inset:0;z-index:2147483647;padding:2rem;background:rgba(24,26,33,.94);color:#f5f5f5");
    }
    overlay.textContent = text;
  }
  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }
  var source = new EventSource("/__kbsite/events");
  /* The page's address as the server names pages: decoded, without `index.html`. */
  function here() {
    var path = location.pathname;
    try { path = decodeURIComponent(path); } catch (e) { /* keep it as it is */ }
    return path.replace(/index\.html$/, "");
  }
  source.addEventListener("reload", function (e) {
    /* "reload" reloads every page; a list of addresses only those pages. */
    if (e.data !== "reload") {
      var pages = null;
      try { pages = JSON.parse(e.data); } catch (err) { pages = null; }
      if (Array.isArray(pages) && pages.indexOf(here()) < 0) return;
    }
    sessionStorage.setItem(KEY, String(window.scrollY));
    history.scrollRestoration = "manual";
    location.reload();
  });
  source.addEventListener("css", function () {
    hide();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("kbsite-reload", String(Date.now()));
      link.href = url.href;
    });
  });
  // Broken links the last change left: beside the page, never over it.
  var notes = null;
  function note(text) {
    if (notes) {
      notes.remove();
      notes = null;
    }
    if (!text) return;
    notes = panel("kbsite-warnings", "status",
      "right:1rem;bottom:1rem;z-index:2147483646;max-width:min(40rem,calc(100vw - 2rem));" +
      "max-height:40vh;padding:1rem 1rem .5rem;border-radius:.5rem;background:#fff8e1;" +
      "color:#3e2c00;border:1px solid #c99a00;box-shadow:0 4px 16px rgba(0,0,0,.2)");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Close");
    close.style.cssText = "float:right;border:0;background:none;font-size:18px;cursor:pointer;color:inherit";
    close.addEventListener("click", function () { note(""); });
    notes.appendChild(close);
    notes.appendChild(document.createTextNode(text));
  }
  source.addEventListener("build-warnings", function (e) { note(e.data); });
  source.addEventListener("build-error", function (e) { show(e.data); });
  source.addEventListener("build-ok", hide);
})();
