// "Images in the body" on a change form: upload an image with its alt text, then insert
// its Markdown where the cursor is in the body. The server checks and cleans the image as
// it does header images (publishing.admin.PublishableAdmin.body_image_view).
(function () {
  "use strict";

  const box = document.querySelector(".body-image-upload");
  const body = document.querySelector("#id_body");
  if (!box || !body) return;
  const file = box.querySelector(".body-image-file");
  const alt = box.querySelector(".body-image-alt");
  const status = box.querySelector(".body-image-status");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");

  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle("errornote", Boolean(failed));
  }

  function insert(text) {
    const start = body.selectionStart ?? body.value.length;
    const end = body.selectionEnd ?? start;
    const before = body.value.slice(0, start);
    const after = body.value.slice(end);
    const padBefore = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    const padAfter = after && !after.startsWith("\n") ? "\n\n" : "";
    body.value = before + padBefore + text + padAfter + after;
    const cursor = (before + padBefore + text).length;
    body.setSelectionRange(cursor, cursor);
    body.dispatchEvent(new Event("input", { bubbles: true }));
    body.focus();
  }

  box.querySelector(".body-image-insert").addEventListener("click", async () => {
    if (!file.files.length) return say("Choose an image first.", true);
    if (!alt.value.trim()) {
      alt.focus();
      return say("Describe the image (alt text) before inserting it.", true);
    }
    const data = new FormData();
    data.append("image", file.files[0]);
    data.append("alt", alt.value);
    say("Uploading…");
    try {
      const response = await fetch(box.dataset.url, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": token ? token.value : "" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (!response.ok) return say(answer.error || "The image was refused.", true);
      insert(answer.markdown);
      file.value = "";
      alt.value = "";
      say("Inserted. Save to publish it with the body.");
    } catch (error) {
      say("The upload failed; try again.", true);
    }
  });
})();
