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
    input.focus();
  });
  if (document.getElementById("kb-search-page-input")) load();
})();
