// Adds a "Preview" button under the Markdown body field. The text is rendered on the
// server by the same pipeline the public site uses, so the preview is exactly what visitors get.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const config = document.getElementById("markdown-preview-config");
  const body = document.getElementById("id_body");
  if (!config || !body) return;

  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button markdown-preview-button";
  button.textContent = "Preview";
  const output = document.createElement("div");
  output.className = "markdown-preview";
  output.setAttribute("aria-live", "polite");
  output.hidden = true;

  const showError = (message) => {
    const note = document.createElement("p");
    note.className = "errornote";
    note.textContent = message;
    output.replaceChildren(note);
  };

  button.addEventListener("click", async () => {
    if (!output.hidden) {
      output.hidden = true;
      button.textContent = "Preview";
      return;
    }
    const form = new FormData();
    form.append("source", body.value);
    button.disabled = true;
    try {
      const response = await fetch(config.dataset.url, {
        method: "POST",
        body: form,
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin",
      });
      if (response.ok) {
        // The server's pipeline already sanitized this HTML.
        output.innerHTML = await response.text();
      } else if ((response.headers.get("Content-Type") || "").startsWith("text/plain")) {
        // A one-line reason, such as a text too long or too complex to render.
        showError(await response.text());
      } else {
        showError(`Preview failed (${response.status}).`);
      }
    } catch (error) {
      showError("Preview failed: the server did not answer.");
    }
    button.disabled = false;
    output.hidden = false;
    button.textContent = "Hide preview";
  });

  // Below the field (the admin lays label and input out in a row).
  const anchor = body.closest(".flex-container") || body;
  anchor.insertAdjacentElement("afterend", output);
  anchor.insertAdjacentElement("afterend", button);
});
