// A long post's contents start folded on a phone, where they would push the text a screen
// down; they stay a <details> anyone can open. Without script they are simply open.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 40rem)").matches) return;
  document.querySelectorAll("details.toc[open]").forEach(function (contents) {
    contents.open = false;
  });
})();
