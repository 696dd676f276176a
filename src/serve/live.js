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
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "kbsite-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
        "background:rgba(24,26,33,.94);color:#f5f5f5;white-space:pre-wrap;" +
        "font:14px/1.55 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      document.body.appendChild(overlay);
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
  source.addEventListener("reload", function () {
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
  source.addEventListener("build-error", function (e) { show(e.data); });
  source.addEventListener("build-ok", hide);
})();
