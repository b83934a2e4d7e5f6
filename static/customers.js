// The customer list without leaving it: a name opens the contact card in a dialog.
// Without this script the same link opens the card as a page.
"use strict";
(function () {
  const dialog = document.getElementById("contact-dialog");
  const body = document.getElementById("contact-dialog-body");
  if (dialog && body && typeof dialog.showModal === "function") {
    document.addEventListener("click", async (event) => {
      const link = event.target.closest("a.contact-link");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      try {
        const response = await fetch(link.href, { credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const card = page.getElementById("contact-card");
        if (!card) throw new Error("no contact card");
        body.replaceChildren(document.importNode(card, true));
        dialog.showModal();
      } catch (_) {
        window.location.href = link.href;
      }
    });
  }
})();
