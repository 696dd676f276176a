/* Copy buttons on code blocks, on pages with code only (partials/content_scripts.html loads
 * this file). The button copies the code as written: line numbers are drawn by CSS and are
 * not part of the text. It confirms in the page's language (the script tag's data-*). */
(function () {
  "use strict";
  if (window.__kbsiteCode) return;
  window.__kbsiteCode = true;
  var own = document.currentScript;
  var words = {
    copy: (own && own.getAttribute("data-copy")) || "Copy",
    copied: (own && own.getAttribute("data-copied")) || "Copied",
    failed: (own && own.getAttribute("data-failed")) || "Copy failed"
  };
  var status = null;

  function announce(text) {
    if (!status) {
      status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  // The clipboard API needs a secure context; elsewhere a selected text area and the
  // older copy command do the same.
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error("copy"));
    });
  }

  function addButton(pre) {
    var code = pre.querySelector("code") || pre;
    var box = pre.parentNode;
    if (!box.classList || !box.classList.contains("code-block")) {
      box = document.createElement("div");
      box.className = "code-block";
      pre.parentNode.insertBefore(box, pre);
      box.appendChild(pre);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.textContent = words.copy;
    var timer = null;
    button.addEventListener("click", function () {
      copy(code.textContent).then(function () {
        button.textContent = words.copied;
        button.classList.add("code-copy--done");
        announce(words.copied);
      }, function () {
        button.textContent = words.failed;
        announce(words.failed);
      });
      clearTimeout(timer);
      timer = setTimeout(function () {
        button.textContent = words.copy;
        button.classList.remove("code-copy--done");
      }, 2000);
    });
    box.classList.add("has-copy");
    box.appendChild(button);
  }

  var blocks = document.querySelectorAll(".prose pre.code:not(.diagram__source)");
  for (var i = 0; i < blocks.length; i++) addButton(blocks[i]);
})();
