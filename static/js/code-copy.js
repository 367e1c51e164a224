// A "Copy" button on each code block of a body (publishing/markdown.py wraps them in
// .code-block). Made here, not in the stored HTML, so no button shows where it cannot
// work: without script, or without the clipboard API (pages not served over HTTPS).
(function () {
  "use strict";

  var CONFIRMATION_MS = 2500;

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function enhance(block) {
    var pre = block.querySelector(":scope > pre");
    if (!pre || block.querySelector(".code-copy")) return;
    var label = block.querySelector(".code-language");
    var language = label ? label.textContent : "";

    var tools = document.createElement("div");
    tools.className = "code-copy";
    // Announced when its text changes; shown beside the button as well.
    var status = document.createElement("span");
    status.className = "code-copy-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Copy";
    // Starts with the visible word, so speech users can say "click Copy".
    button.setAttribute("aria-label", language ? "Copy " + language + " code" : "Copy code");
    tools.appendChild(status);
    tools.appendChild(button);
    block.insertBefore(tools, pre);

    var timer;
    function say(message, briefly) {
      window.clearTimeout(timer);
      status.textContent = message;
      if (briefly) {
        timer = window.setTimeout(function () {
          status.textContent = "";
        }, CONFIRMATION_MS);
      }
    }

    button.addEventListener("click", function () {
      // A pasted trailing newline would run a shell command at once.
      var text = pre.textContent.replace(/\n$/, "");
      navigator.clipboard.writeText(text).then(
        function () {
          say("Copied", true);
        },
        function () {
          selectContents(pre);
          say("Not copied: the code is selected for you to copy", false);
        }
      );
    });
  }

  function enhanceAll() {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return;
    Array.prototype.forEach.call(document.querySelectorAll(".code-block"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
