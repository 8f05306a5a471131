// A document made in the background: ask for its progress until it is ready or failed, then
// show the page again with its link (or its error). Without this, the page's Refresh link does.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const panel of document.querySelectorAll("[data-document]")) {
    const status = panel.dataset.status;
    if (status !== "queued" && status !== "running") continue;
    const url = panel.dataset.statusUrl;
    const every = Number(panel.dataset.pollMs) || 1000;
    const label = panel.querySelector("[data-document-label]");
    const bar = panel.querySelector("[data-document-progress]");
    const poll = async () => {
      let news;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        news = await response.json();
      } catch {
        window.setTimeout(poll, every * 3);
        return;
      }
      if (news.status === "ready" || news.status === "failed") {
        window.location.reload();
        return;
      }
      if (label) {
        label.textContent = news.total
          ? `${news.status_label}: ${news.done} / ${news.total}`
          : news.status_label;
      }
      if (bar) {
        bar.value = news.percent;
        bar.textContent = `${news.percent}%`;
      }
      window.setTimeout(poll, every);
    };
    window.setTimeout(poll, every);
  }
});
