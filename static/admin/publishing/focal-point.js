// Click the header preview to set the focal point (x, y as fractions of width and height).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const preview = document.querySelector(".focal-preview");
  const fieldX = document.getElementById("id_focal_x");
  const fieldY = document.getElementById("id_focal_y");
  if (!preview || !fieldX || !fieldY) return;
  const marker = preview.querySelector(".focal-marker");

  const place = (x, y) => {
    marker.style.left = `${x * 100}%`;
    marker.style.top = `${y * 100}%`;
  };
  place(parseFloat(fieldX.value) || 0.5, parseFloat(fieldY.value) || 0.5);

  preview.addEventListener("click", (event) => {
    const box = preview.querySelector("img").getBoundingClientRect();
    const clamp = (value) => Math.min(1, Math.max(0, value));
    const x = clamp((event.clientX - box.left) / box.width);
    const y = clamp((event.clientY - box.top) / box.height);
    fieldX.value = x.toFixed(3);
    fieldY.value = y.toFixed(3);
    place(x, y);
  });
  for (const field of [fieldX, fieldY]) {
    field.addEventListener("input", () => place(parseFloat(fieldX.value), parseFloat(fieldY.value)));
  }
});
