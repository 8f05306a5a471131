// A product's images page: drop files to add them, drag images to order them. The page works
// without this file: a multi-file picker, and buttons that move an image up or down.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Dropped files go into the form's file input; the form is then sent as if they were picked.
  for (const form of document.querySelectorAll("form[data-image-drop]")) {
    const zone = form.querySelector("[data-image-drop-zone]");
    const input = form.querySelector('input[type="file"]');
    const chosen = form.querySelector("[data-image-drop-chosen]");
    if (!zone || !input) continue;
    const show = () => {
      if (chosen) chosen.textContent = Array.from(input.files, (file) => file.name).join(", ");
    };
    input.addEventListener("change", show);
    zone.classList.add("image-drop__zone--ready");
    for (const name of ["dragenter", "dragover"]) {
      zone.addEventListener(name, (event) => {
        if (!event.dataTransfer || !Array.from(event.dataTransfer.types).includes("Files")) return;
        event.preventDefault();
        zone.classList.add("image-drop__zone--over");
      });
    }
    for (const name of ["dragleave", "drop"]) {
      zone.addEventListener(name, () => zone.classList.remove("image-drop__zone--over"));
    }
    zone.addEventListener("drop", (event) => {
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
      event.preventDefault();
      const files = new DataTransfer();
      for (const file of event.dataTransfer.files) files.items.add(file);
      input.files = files.files;
      show();
    });
  }

  // Drag an image card onto another to put it there; "Save the order" sends the new order.
  const list = document.querySelector("[data-image-list]");
  const orderForm = document.querySelector("form[data-image-order]");
  if (!list || !orderForm) return;
  const order = orderForm.querySelector('input[name="order"]');
  let dragged = null;
  for (const card of list.querySelectorAll("[data-image-id]")) {
    card.draggable = true;
    card.addEventListener("dragstart", (event) => {
      dragged = card;
      card.classList.add("image-card--dragged");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.imageId);
    });
    card.addEventListener("dragend", () => {
      card.classList.remove("image-card--dragged");
      dragged = null;
    });
    card.addEventListener("dragover", (event) => {
      if (!dragged || dragged === card) return;
      event.preventDefault();
      const box = card.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      card.parentNode.insertBefore(dragged, after ? card.nextSibling : card);
    });
    card.addEventListener("drop", (event) => {
      if (!dragged) return;
      event.preventDefault();
      order.value = Array.from(list.querySelectorAll("[data-image-id]"), (item) => item.dataset.imageId).join(",");
      orderForm.hidden = false;
    });
  }
});
