/* Mermaid diagrams, on pages with a diagram only, and only on sites that provide a copy of
 * Mermaid (`mermaid:` in kbsite.yaml, loaded just before this file). Each `div.diagram`
 * keeps its source as code: where Mermaid is missing or cannot draw it, the code stays. */
(function () {
  "use strict";
  var mermaid = window.mermaid;
  if (!mermaid || window.__kbsiteDiagrams) return;
  window.__kbsiteDiagrams = true;
  var root = document.documentElement;
  var dark = root.getAttribute("data-theme") === "dark" ||
    (root.getAttribute("data-theme") !== "light" && window.matchMedia &&
      window.matchMedia("(prefers-color-scheme: dark)").matches);
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
  var boxes = document.querySelectorAll(".diagram[data-diagram=mermaid]");
  Array.prototype.forEach.call(boxes, function (box, i) {
    var source = box.querySelector("pre");
    if (!source) return;
    Promise.resolve()
      .then(function () { return mermaid.render("kb-diagram-" + i, source.textContent); })
      .then(function (result) {
        var drawing = document.createElement("div");
        drawing.className = "diagram__drawing";
        drawing.innerHTML = result.svg;
        box.insertBefore(drawing, source);
        source.hidden = true;
        box.classList.add("diagram--drawn");
      }, function () { /* the source stays, as code */ });
  });
})();
