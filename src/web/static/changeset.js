// The changeset page: revert the changeset (a new changeset) through the JSON API.
"use strict";

(function () {
  const form = document.getElementById("revert");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf"]')?.content || "";
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await fetch(`/api/changesets/${encodeURIComponent(form.dataset.changeset)}/revert`, { method: "POST",
      body: JSON.stringify({ reason: form.reason.value }),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf } });
    const v = await r.json();
    if (!r.ok) { document.getElementById("revert-error").textContent = v.error; return; }
    location.href = "/changesets/" + encodeURIComponent(v.changeset);
  });
})();
