// An editor's safety net on the change forms of posts, talks and people:
// - leaving the page with unsaved changes asks first;
// - what is typed is kept in this browser (localStorage) as it is typed, and offered back
//   when the form is opened again after a crash or a closed tab, until it is saved.
// No framework, no inline script (the site has a Content-Security-Policy).
(function () {
  "use strict";

  const form = document.querySelector("#content-main form[method=post]");
  if (!form || !form.id.endsWith("_form")) return;

  const key = "unsaved-form:" + location.pathname;
  const skipped = new Set(["csrfmiddlewaretoken"]);

  function fields() {
    const values = [];
    for (const element of form.elements) {
      if (!element.name || skipped.has(element.name) || element.name.includes("__prefix__")) continue;
      if (element.type === "file" || element.type === "submit" || element.type === "button") continue;
      if (element.type === "checkbox" || element.type === "radio") {
        values.push([element.name, element.value, element.checked]);
      } else if (element.tagName === "SELECT" && element.multiple) {
        values.push([element.name, Array.from(element.selectedOptions, (o) => o.value), null]);
      } else {
        values.push([element.name, element.value, null]);
      }
    }
    return values;
  }

  function restore(values) {
    const byName = new Map();
    for (const [name, value, checked] of values) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push([value, checked]);
    }
    for (const [name, entries] of byName) {
      const elements = Array.from(form.elements).filter((element) => element.name === name);
      elements.forEach((element, index) => {
        const [value, checked] = entries[Math.min(index, entries.length - 1)];
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = element.type === "radio" ? element.value === value && checked : checked;
        } else if (element.tagName === "SELECT" && element.multiple) {
          for (const option of element.options) option.selected = value.includes(option.value);
        } else if (element.type !== "file") {
          element.value = value;
        }
        element.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
  }

  const initial = JSON.stringify(fields());
  let submitting = false;

  function changed() {
    return JSON.stringify(fields()) !== initial;
  }

  let timer = null;
  function keep() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (submitting) return; // saved: nothing to keep (the page is leaving)
      try {
        if (changed()) {
          localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: fields() }));
        } else {
          localStorage.removeItem(key);
        }
      } catch (error) {
        // Storage full or refused (private window): the guard below still asks.
      }
    }, 500);
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", (event) => {
    // "See the page as it would be" submits to a new tab: this form stays, unsaved.
    if (event.submitter && event.submitter.formTarget === "_blank") return;
    submitting = true;
    clearTimeout(timer);
    try {
      localStorage.removeItem(key);
    } catch (error) {
      // nothing kept, nothing to remove
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && changed()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A draft of this form kept by an earlier visit: offer it back.
  let kept = null;
  try {
    kept = JSON.parse(localStorage.getItem(key) || "null");
  } catch (error) {
    kept = null;
  }
  if (!kept || !Array.isArray(kept.fields) || JSON.stringify(kept.fields) === initial) return;

  const notice = document.createElement("div");
  notice.className = "unsaved-draft messagelist";
  notice.setAttribute("role", "alert");
  const text = document.createElement("p");
  const when = new Date(kept.savedAt).toLocaleString();
  text.textContent = "This form has changes from " + when + " that were never saved. ";
  const restoreButton = document.createElement("button");
  restoreButton.type = "button";
  restoreButton.className = "button restore-draft";
  restoreButton.textContent = "Restore them";
  const discardButton = document.createElement("button");
  discardButton.type = "button";
  discardButton.className = "button discard-draft";
  discardButton.textContent = "Discard them";
  text.append(restoreButton, " ", discardButton);
  notice.append(text);
  form.before(notice);

  restoreButton.addEventListener("click", () => {
    restore(kept.fields);
    notice.remove();
  });
  discardButton.addEventListener("click", () => {
    localStorage.removeItem(key);
    notice.remove();
  });
})();
