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

  // Ask first: the form's submit opens the dialog instead, when `asks(event)` says so. The
  // dialog's accept button (data-confirm-accept) belongs to the same form and submits it.
  const askFirst = (form, dialog, asks) => {
    if (!dialog || !form || typeof dialog.showModal !== "function") return;
    form.addEventListener("submit", (event) => {
      if (!asks(event)) return;
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
  };

  // A form with its dialog inside asks before any submit but the dialog's own.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    askFirst(form, form.querySelector("dialog"), (event) => {
      return !(event.submitter && event.submitter.hasAttribute("data-confirm-accept"));
    });
  }
  // A submit button may name the dialog that asks first (data-confirm-dialog): only that
  // button asks (the cart's "Place the order"; its other buttons save).
  for (const opener of document.querySelectorAll("button[data-confirm-dialog]")) {
    const dialog = document.getElementById(opener.dataset.confirmDialog);
    askFirst(opener.form, dialog, (event) => event.submitter === opener);
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

// --- Buyer App: the cart -----------------------------------------------------------------------
// Amounts and totals follow the quantities as they are typed (the place dialog's too): net, the
// shipping fee, the tax per rate and gross. Prices and rates come from the rows; the server prices and taxes the
// order again when it is placed.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-cart-totals]")) {
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    const show = (selector, text) => {
      for (const element of form.querySelectorAll(selector)) element.textContent = text;
    };
    // Tax as the server computes it (core/tax.py), in whole cents: a rate is in thousandths of a
    // percent, so a line's exact tax is cents x rate / 100000, rounded as the brand rounds it.
    const mode = form.dataset.taxMode || "half_up";
    const perLine = (form.dataset.taxScope || "line") === "line";
    const taxCents = (netCents, rate) => {
      const numerator = netCents * rate;
      const denominator = 100000;
      let quotient = Math.floor(numerator / denominator);
      let remainder = numerator - quotient * denominator;
      if (remainder < 0) { quotient -= 1; remainder += denominator; }
      if (remainder >= denominator) { quotient += 1; remainder -= denominator; }
      if (mode === "up" && remainder > 0) return quotient + 1;
      if (mode === "half_up" && remainder * 2 >= denominator) return quotient + 1;
      return quotient;
    };
    const update = () => {
      let lines = 0;
      let pieces = 0;
      let cents = 0;
      const rates = new Map();
      for (const row of form.querySelectorAll("tr[data-cart-line]")) {
        const input = row.querySelector("input.qty");
        const typed = input ? input.value.trim() : row.dataset.quantity;
        const quantity = typed === "" ? 0 : Number(typed);
        const amount = row.querySelector("[data-cart-amount]");
        if (!Number.isInteger(quantity) || quantity < 0) {
          if (amount) amount.textContent = "—";
          continue;
        }
        const lineCents = quantity * Math.round(Number(row.dataset.price) * 100);
        if (amount) amount.textContent = format.format(lineCents / 100);
        if (quantity > 0) {
          lines += 1;
          pieces += quantity;
          cents += lineCents;
        }
        if (row.dataset.taxKey) {
          const key = row.dataset.taxKey;
          const rate = Math.round(Number(row.dataset.taxRate) * 1000);
          const taxed = rates.get(key) || { rate, net: 0, tax: 0 };
          taxed.net += lineCents;
          if (perLine) taxed.tax += taxCents(lineCents, rate);
          rates.set(key, taxed);
        }
      }
      // The shipping fee (core/shipping.py): the band with the highest threshold at or below the
      // net, taxed as one more line at its rate; none for an empty cart or below every band.
      let fee = null;
      if (form.dataset.shippingBands && cents > 0) {
        for (const [from, bandFee] of JSON.parse(form.dataset.shippingBands)) {
          if (from <= cents && (fee === null || from >= fee.from)) fee = { from, cents: bandFee };
        }
      }
      if (fee !== null && form.dataset.shippingTaxKey) {
        const key = form.dataset.shippingTaxKey;
        const rate = Math.round(Number(form.dataset.shippingTaxRate) * 1000);
        const taxed = rates.get(key) || { rate, net: 0, tax: 0 };
        taxed.net += fee.cents;
        if (perLine) taxed.tax += taxCents(fee.cents, rate);
        rates.set(key, taxed);
      }
      for (const row of form.querySelectorAll("[data-cart-shipping-row]")) row.hidden = fee === null;
      for (const element of form.querySelectorAll("[data-cart-shipping]")) {
        element.textContent =
          fee === null ? "" : fee.cents ? format.format(fee.cents / 100) : element.dataset.freeLabel;
      }
      const shippingCents = fee === null ? 0 : fee.cents;
      let taxes = 0;
      for (const [key, taxed] of rates) {
        const tax = perLine ? taxed.tax : taxCents(taxed.net, taxed.rate);
        taxes += tax;
        for (const element of form.querySelectorAll("[data-cart-tax]")) {
          if (element.dataset.cartTax === key) element.textContent = format.format(tax / 100);
        }
      }
      show("[data-cart-total-lines]", String(lines));
      show("[data-cart-total-quantity]", String(pieces));
      show("[data-cart-total-amount]", format.format(cents / 100));
      show("[data-cart-total-gross]", format.format((cents + shippingCents + taxes) / 100));
    };
    form.addEventListener("input", update);
    update(); // after a refused save the inputs hold what was typed, not what is saved
  }
});

// Saving a form marked data-keep-scroll comes back to the same place on the page, not the top
// (the answer is a redirect to the same page). A button marked data-scroll-top opts out.
const SCROLL_KEY = "linesheet.scroll";
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-keep-scroll")) return;
  if (event.defaultPrevented) return;
  try {
    if (event.submitter && event.submitter.hasAttribute("data-scroll-top")) {
      sessionStorage.removeItem(SCROLL_KEY);
      return;
    }
    const kept = { path: window.location.pathname, y: window.scrollY, at: Date.now() };
    sessionStorage.setItem(SCROLL_KEY, JSON.stringify(kept));
  } catch {
    // No session storage (private mode): the page starts at the top, as without this script.
  }
});
document.addEventListener("DOMContentLoaded", () => {
  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
    sessionStorage.removeItem(SCROLL_KEY);
  } catch {
    return;
  }
  if (kept && kept.path === window.location.pathname && Date.now() - kept.at < 60000) {
    window.scrollTo(0, kept.y);
  }
});

// --- Brand App: return an order to the buyer's cart ----------------------------------------
// The button is a link to the return page; with a <dialog> to show, it opens the same content
// in place. Esc and Cancel close it, and focus goes back to the button.
document.addEventListener("DOMContentLoaded", () => {
  for (const opener of document.querySelectorAll("[data-dialog-open]")) {
    const dialog = document.getElementById(opener.dataset.dialogOpen);
    if (!dialog || typeof dialog.showModal !== "function") continue;
    opener.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return; // a new tab gets the page
      event.preventDefault();
      dialog.showModal();
      // Start at the title, so a screen reader reads the dialog from the top.
      const title = dialog.querySelector("[tabindex='-1']");
      if (title) title.focus();
    });
    dialog.addEventListener("close", () => opener.focus());
    for (const close of dialog.querySelectorAll("[data-dialog-close]")) {
      close.addEventListener("click", () => dialog.close());
    }
  }

  // Notification off: no email, so no message to write.
  for (const toggle of document.querySelectorAll("[data-return-notify]")) {
    const box = toggle.form && toggle.form.querySelector("[data-return-message]");
    const area = box && box.querySelector("textarea");
    if (!box || !area) continue;
    const sync = () => {
      box.hidden = !toggle.checked;
      area.disabled = !toggle.checked; // a disabled box is not sent; its text stays for later
    };
    toggle.addEventListener("change", sync);
    sync();
  }

  // A live count of the message's characters, counted as the server counts them (trimmed).
  for (const area of document.querySelectorAll("textarea[data-char-limit]")) {
    const limit = Number(area.dataset.charLimit);
    const output = document.getElementById(area.dataset.charCount);
    if (!output || !limit) continue;
    const update = () => {
      const length = area.value.trim().length;
      const over = length - limit;
      const tooLong = over > 0 ? (area.dataset.overMessage || "").replace("{over}", String(over)) : "";
      output.textContent = tooLong ? `${length} / ${limit}. ${tooLong}` : `${length} / ${limit}`;
      output.classList.toggle("char-count--over", over > 0);
      area.setCustomValidity(tooLong);
      if (over > 0) area.setAttribute("aria-invalid", "true");
      else area.removeAttribute("aria-invalid");
    };
    area.addEventListener("input", update);
    update();
  }
});

// --- The returned cart: taking the brand's OC quantities ------------------------------------
// Taking a quantity reloads the cart, so quantities typed into the lines and not saved would be
// lost: ask first. Listens on the document in the capture phase so that a "no" stops the
// submission before the submit-once handler disables the form's buttons.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-unsaved-confirm")) return;
    const unsaved = document.querySelector('form[data-track-changes][data-changed="true"]');
    if (unsaved && unsaved !== form && !window.confirm(form.dataset.unsavedConfirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// --- Brand App: the order page's operations ---------------------------------------------------
// Email the buyer off: the message is not sent with it, so its box folds away. Its text stays
// (and is still posted), so turning the email back on finds it again.
document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll("[data-notify-toggle]")) {
    const box = toggle.closest("[data-notify]")?.querySelector("[data-notify-message]");
    if (!box) continue;
    // A message refused as too long stays in sight, so it can be shortened.
    const sync = () => { box.hidden = !toggle.checked && !box.classList.contains("field--error"); };
    toggle.addEventListener("change", sync);
    sync();
  }
});

// --- Order grids: the buyer's catalog and the brand's proxy order ------------------------------
// A running count of pieces and their amount as quantities are typed into a grid.
// Prices come from the cells; the server prices the order again when it is placed.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-order-total]")) {
    const output = form.querySelector("[data-order-total-text]");
    if (!output) continue;
    const currency = output.dataset.currency || "";
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    const update = () => {
      let pieces = 0;
      let cents = 0;
      for (const input of form.querySelectorAll("td[data-price] input.qty")) {
        const quantity = Number(input.value);
        if (!Number.isInteger(quantity) || quantity <= 0) continue;
        pieces += quantity;
        cents += quantity * Math.round(Number(input.closest("td").dataset.price) * 100);
      }
      output.textContent = pieces
        ? output.dataset.template
            .replace("{pieces}", String(pieces))
            .replace("{amount}", `${format.format(cents / 100)} ${currency}`)
        : output.dataset.empty;
    };
    form.addEventListener("input", update);
    update(); // a refused order comes back with its quantities
  }
});

// A product's page: its picture shows the colour whose row of the grid is in use (a row with
// a picture of its own says so in data-picture), else the product's main picture.
document.addEventListener("DOMContentLoaded", () => {
  const picture = document.querySelector("[data-product-picture] img");
  const grid = document.querySelector("table.table--grid");
  if (!picture || !grid || !grid.querySelector("tr[data-picture]")) return;
  const main = { src: picture.getAttribute("src"), width: picture.width, height: picture.height };
  const of = (row) =>
    row && row.dataset.picture
      ? { src: row.dataset.picture, width: row.dataset.pictureWidth, height: row.dataset.pictureHeight }
      : main;
  const show = (source) => {
    if (picture.getAttribute("src") === source.src) return;
    picture.setAttribute("src", source.src);
    picture.width = Number(source.width);
    picture.height = Number(source.height);
  };
  for (const row of grid.querySelectorAll("tbody tr")) {
    row.addEventListener("focusin", () => show(of(row)));
    row.addEventListener("mouseenter", () => show(of(row)));
  }
  // Leaving the grid with the mouse: the colour being typed into, else the main picture.
  grid.addEventListener("mouseleave", () => show(of(document.activeElement?.closest("tbody tr"))));
});

// Importing an order sheet: the upload's real progress (bytes sent), then a plain "working"
// state while the server checks the rows and places the order, which it does in one go. The
// answer (the result page, or the form with every bad row) replaces the page's main content.
// Without this script the form posts as usual.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload-progress")) return;
  if (event.defaultPrevented || typeof window.DOMParser !== "function") return;
  event.preventDefault();
  if (form.dataset.busy === "true") return;
  const status = form.querySelector("[data-upload-status]");
  const label = form.querySelector("[data-upload-label]");
  const bar = form.querySelector("[data-upload-bar]");
  const buttons = [...form.querySelectorAll("button[type=submit]")];
  const file = form.querySelector("input[type=file]")?.files?.[0];
  const say = (text) => { if (label) label.textContent = text; };
  const busy = (on) => {
    form.dataset.busy = on ? "true" : "false";
    form.setAttribute("aria-busy", on ? "true" : "false");
    for (const button of buttons) {
      button.disabled = on;
      if (on && button.dataset.busyLabel) {
        button.dataset.idleLabel = button.innerHTML;
        button.textContent = button.dataset.busyLabel;
      } else if (!on && button.dataset.idleLabel) {
        button.innerHTML = button.dataset.idleLabel;
      }
    }
  };
  busy(true);
  if (status) status.hidden = false;
  if (bar) bar.value = 0;
  const uploading = (percent) =>
    (form.dataset.textUploading || "")
      .replace("{name}", file ? file.name : "")
      .replace("{percent}", String(percent));
  say(uploading(0));

  const request = new XMLHttpRequest();
  request.open("POST", form.action || window.location.href);
  request.upload.addEventListener("progress", (progress) => {
    if (!progress.lengthComputable) return;
    const percent = Math.floor((progress.loaded / progress.total) * 100);
    if (bar) bar.value = percent;
    say(uploading(percent));
  });
  request.upload.addEventListener("load", () => {
    if (bar) bar.removeAttribute("value"); // indeterminate: the server reports no progress
    say(form.dataset.textProcessing || "");
  });
  request.addEventListener("load", () => {
    const page = new DOMParser().parseFromString(request.responseText, "text/html");
    const incoming = page.querySelector("main#main");
    const current = document.querySelector("main#main");
    if (!incoming || !current) {
      window.location.assign(request.responseURL || window.location.href);
      return;
    }
    current.replaceWith(document.importNode(incoming, true));
    document.title = page.title;
    if (request.responseURL && request.responseURL !== window.location.href) {
      window.history.replaceState(null, "", request.responseURL);
    }
    window.scrollTo(0, 0);
    document.querySelector("main#main")?.focus();
  });
  const failed = () => {
    busy(false);
    if (bar) bar.value = 0;
    say(form.dataset.textFailed || "");
  };
  request.addEventListener("error", failed);
  request.addEventListener("abort", failed);
  request.send(new FormData(form));
});

// --- Order links: "Copy" where the Clipboard API is missing ---------------------------------
// The Clipboard API exists only on https (and localhost); elsewhere copy the selected text.
document.addEventListener("DOMContentLoaded", () => {
  if (navigator.clipboard || typeof document.execCommand !== "function") return;
  for (const button of document.querySelectorAll("[data-copy]")) {
    const source = document.querySelector(button.dataset.copy);
    if (!source) continue;
    const status = button.closest(".copy-field")?.querySelector(".copy-field__done");
    button.hidden = false;
    button.addEventListener("click", () => {
      source.select();
      const copied = document.execCommand("copy");
      if (status) status.textContent = copied ? button.dataset.copied || "Copied." : "";
    });
  }
});

// An order link's landing: the new organisation's name matters only when it is chosen.
document.addEventListener("DOMContentLoaded", () => {
  for (const field of document.querySelectorAll(".field--new-organization")) {
    const form = field.closest("form");
    const radios = form ? form.querySelectorAll('input[type="radio"][name="organization"]') : [];
    if (!radios.length) continue;
    const sync = () => {
      const chosen = form.querySelector('input[name="organization"]:checked');
      field.hidden = !chosen || chosen.value !== "new";
    };
    for (const radio of radios) radio.addEventListener("change", sync);
    sync();
  }
});
