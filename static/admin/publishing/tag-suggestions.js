// Suggestions for the tags field (comma-separated): the tags that exist and start with (or
// contain) what is being typed after the last comma; choose one with the mouse, or with the
// arrow keys and Enter. Tags are never created here: typing a new name still works.
(function () {
  "use strict";

  const input = document.querySelector("#id_tags");
  const config = document.querySelector("#tag-suggestions-config");
  if (!input || !config) return;

  const list = document.createElement("ul");
  list.id = "tag-suggestions";
  list.className = "tag-suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.after(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  let active = -1;
  let timer = null;

  function typed() {
    const parts = input.value.split(",");
    return parts[parts.length - 1].trim();
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(name) {
    const parts = input.value.split(",");
    parts[parts.length - 1] = (parts.length > 1 ? " " : "") + name;
    input.value = parts.join(",") + ", ";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    close();
    input.focus();
  }

  function highlight(index) {
    const options = list.querySelectorAll("li");
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (options[index]) input.setAttribute("aria-activedescendant", options[index].id);
  }

  function show(names) {
    const chosen = new Set(input.value.split(",").map((name) => name.trim().toLowerCase()));
    names = names.filter((name) => !chosen.has(name.toLowerCase()) || name.toLowerCase() === typed().toLowerCase());
    list.replaceChildren();
    if (!names.length) return close();
    names.forEach((name, index) => {
      const option = document.createElement("li");
      option.id = "tag-suggestion-" + index;
      option.setAttribute("role", "option");
      option.textContent = name;
      option.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keeps the focus in the field
        choose(name);
      });
      list.append(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = typed();
    if (!query) return close();
    timer = setTimeout(async () => {
      try {
        const response = await fetch(config.dataset.url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
        });
        if (response.ok && typed() === query) show((await response.json()).tags);
      } catch (error) {
        close();
      }
    }, 150);
  });

  input.addEventListener("keydown", (event) => {
    const options = list.querySelectorAll("li");
    if (list.hidden || !options.length) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight((active - 1 + options.length) % options.length);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault(); // choose the tag, do not submit the form
      choose(options[active].textContent);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", close);
})();
