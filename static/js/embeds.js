// Click-to-load players on talk pages (templates/talks/includes/embed_frame.html).
// The page loads nothing from other sites: each player is a box with a link to the
// original; this script adds a button that swaps the box for the iframe on request.
(function () {
  "use strict";

  function load(facade) {
    var src = facade.getAttribute("data-embed-src") || "";
    // The server only writes allowlisted https URLs; refuse anything else all the same.
    if (!/^https:\/\//i.test(src)) return;
    var kind = facade.getAttribute("data-embed-kind");
    var frame = document.createElement("iframe");
    if (kind === "video") {
      // The visitor asked to play: start at once rather than ask for a second click.
      src += (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    }
    frame.src = src;
    frame.title = facade.getAttribute("data-embed-title") || "Embedded player";
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    facade.replaceWith(frame);
    frame.focus();
  }

  function enhance() {
    var facades = document.querySelectorAll(".embed-facade[data-embed-src]");
    Array.prototype.forEach.call(facades, function (facade) {
      var controls = facade.querySelector(".embed-load");
      var button = controls && controls.querySelector("button");
      if (!button) return;
      controls.hidden = false;
      button.addEventListener("click", function () {
        load(facade);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
