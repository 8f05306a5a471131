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
});
