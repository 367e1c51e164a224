// Co-authors and guests in order: rows of the credit inlines can be dragged (or moved with
// their ↑ ↓ buttons, from the keyboard) into place, and their positions are renumbered
// 0, 1, 2… in the order shown; a row added gets the next position, not 0.
(function () {
  "use strict";

  const groups = document.querySelectorAll(".inline-group[id$='credits-group']");
  if (!groups.length) return;

  function rowsOf(group) {
    return Array.from(group.querySelectorAll("tbody tr.form-row")).filter(
      (row) => !row.classList.contains("empty-form") && row.querySelector("input[name$='-position']")
    );
  }

  function renumber(group) {
    rowsOf(group).forEach((row, index) => {
      const position = row.querySelector("input[name$='-position']");
      if (position.value !== String(index)) {
        position.value = String(index);
        position.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function move(group, row, offset) {
    const rows = rowsOf(group);
    const target = rows[rows.indexOf(row) + offset];
    if (!target) return;
    if (offset < 0) target.before(row);
    else target.after(row);
    renumber(group);
  }

  function equip(group, row) {
    if (row.dataset.ordered) return;
    row.dataset.ordered = "1";
    row.draggable = true;
    row.classList.add("credit-row");
    const cell = row.querySelector("td.field-position") || row.querySelector("td");
    const up = document.createElement("button");
    up.type = "button";
    up.className = "credit-move credit-up";
    up.textContent = "↑";
    up.setAttribute("aria-label", "Move up");
    const down = document.createElement("button");
    down.type = "button";
    down.className = "credit-move credit-down";
    down.textContent = "↓";
    down.setAttribute("aria-label", "Move down");
    cell.append(up, down);
    up.addEventListener("click", () => move(group, row, -1));
    down.addEventListener("click", () => move(group, row, 1));
    row.addEventListener("dragstart", (event) => {
      group.dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("dragging");
      group.dragged = null;
      renumber(group);
    });
    row.addEventListener("dragover", (event) => {
      const dragged = group.dragged;
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) row.before(dragged);
      else row.after(dragged);
    });
    row.addEventListener("drop", (event) => {
      event.preventDefault();
      renumber(group);
    });
  }

  groups.forEach((group) => {
    rowsOf(group).forEach((row) => equip(group, row));
  });

  document.addEventListener("formset:added", (event) => {
    const row = event.target;
    const group = row.closest(".inline-group[id$='credits-group']");
    if (!group) return;
    equip(group, row);
    const position = row.querySelector("input[name$='-position']");
    if (position) position.value = String(rowsOf(group).indexOf(row));
  });
})();
