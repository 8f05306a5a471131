// linesheet: small enhancements; every page works without them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // "Add a row" for formsets: clone the empty row and count it in TOTAL_FORMS.
  for (const button of document.querySelectorAll("[data-formset-add]")) {
    const form = button.closest("form");
    const rows = form.querySelector("[data-formset-rows]");
    const template = form.querySelector("template[data-formset-template]");
    const total = form.querySelector('input[name$="-TOTAL_FORMS"]');
    if (!rows || !template || !total) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML
        .replaceAll("__prefix__", String(index))
        .replaceAll("__number__", String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = rows.lastElementChild && rows.lastElementChild.querySelector("input");
      if (first) first.focus();
    });
  }

  // "Copy link": copy a read-only field's value and say so to screen readers too.
  for (const button of document.querySelectorAll("[data-copy]")) {
    const source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) continue;
    const status = button.closest(".copy-field")?.querySelector(".copy-field__done");
    button.hidden = false;
    button.addEventListener("click", async () => {
      source.select();
      try {
        await navigator.clipboard.writeText(source.value);
        if (status) status.textContent = button.dataset.copied || "Copied.";
      } catch {
        if (status) status.textContent = "";
      }
    });
  }

  // Close the workspace menu on Escape and when clicking elsewhere.
  for (const details of document.querySelectorAll("details.switcher")) {
    document.addEventListener("click", (event) => {
      if (details.open && !details.contains(event.target)) details.open = false;
    });
    details.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  }

  // Order numbering: show the next code as the rule is being edited.
  for (const output of document.querySelectorAll("[data-code-preview]")) {
    const data = document.getElementById(output.dataset.codePreview);
    const form = document.querySelector("form[data-code-form]");
    if (!data || !form) continue;
    const { next_value: next, dates } = JSON.parse(data.textContent);
    const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
    const update = () => {
      const width = Number(value("width"));
      const valid = Number.isInteger(width) && width >= 1 && width <= 12;
      output.textContent = valid
        ? `${dates[value("date_format")] ?? ""}${value("prefix")}${String(next).padStart(width, "0")}${value("suffix")}`
        : "—";
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update(); // after a refused save the fields hold the refused rule, not the saved one
  }
});

// Forms that ask first (a <dialog> inside the form holds the real submit button), forms that
// submit once (a double click must not send twice), and a warning about unsaved changes.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-track-changes]")) {
    form.addEventListener("input", () => { form.dataset.changed = "true"; });
  }

  for (const form of document.querySelectorAll("form[data-confirm]")) {
    const dialog = form.querySelector("dialog");
    if (!dialog || typeof dialog.showModal !== "function") continue;
    form.addEventListener("submit", (event) => {
      if (event.submitter && event.submitter.hasAttribute("data-confirm-accept")) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const warning = dialog.querySelector("[data-unsaved-warning]");
      if (warning) {
        warning.hidden = !document.querySelector('form[data-track-changes][data-changed="true"]');
      }
      dialog.showModal();
    });
    for (const cancel of dialog.querySelectorAll("[data-confirm-cancel]")) {
      cancel.addEventListener("click", () => dialog.close());
    }
  }

  for (const form of document.querySelectorAll("form[data-submit-once]")) {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      if (form.dataset.submitting === "true") {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "true";
      const clicked = event.submitter;
      // Disable after this turn: the browser has read the clicked button's name and value.
      setTimeout(() => {
        for (const button of form.querySelectorAll("button")) {
          if (button.type !== "submit") continue;
          button.disabled = true;
          if (button === clicked && button.dataset.busyLabel) {
            button.dataset.idleLabel = button.innerHTML;
            button.textContent = button.dataset.busyLabel;
          }
        }
      });
    });
  }

  // Coming back with the browser's Back button shows the page as it was left: usable again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    for (const form of document.querySelectorAll('form[data-submit-once][data-submitting="true"]')) {
      delete form.dataset.submitting;
      for (const button of form.querySelectorAll("button")) {
        button.disabled = false;
        if (button.dataset.idleLabel) button.innerHTML = button.dataset.idleLabel;
      }
    }
  });
});
