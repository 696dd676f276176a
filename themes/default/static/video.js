/* Click-to-load films of the youtube and vimeo components: nothing is fetched from the film
 * service (no cookies, no requests) until the reader asks for the film. */
(function () {
  "use strict";
  if (window.__kbsiteVideo) return;
  window.__kbsiteVideo = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".video__play");
    if (!button) return;
    var box = button.closest(".video");
    var frame = document.createElement("iframe");
    frame.src = box.getAttribute("data-video-src");
    frame.title = box.getAttribute("data-video-title") || "";
    frame.allow = "autoplay; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    frame.loading = "lazy";
    box.replaceChildren(frame);
    box.classList.add("video--playing");
    frame.focus();
  });
})();
