// The numbering page: a chosen street's plates as the rule numbers them. Drag the start point
// onto the other end to flip the direction; officers draft, pin, approve and apply a
// renumbering campaign through the JSON API with the page's CSRF token. What the page knows
// comes from data- attributes (no inline script: the Content-Security-Policy forbids it).
"use strict";

(function () {
  const page = document.getElementById("numbering");
  const csrf = document.querySelector('meta[name="csrf"]')?.content || "";
  const street = page.dataset.street;
  const campaign = page.dataset.campaign;
  const to = (q) => `/numbering?${new URLSearchParams(q)}`;

  for (const sel of document.querySelectorAll("select[data-autosubmit]")) {
    sel.addEventListener("change", () => sel.form.submit());
  }

  // Drag the start point onto the other end to flip the direction.
  const start = document.getElementById("start"), end = document.getElementById("end");
  if (start && end) {
    const svg = start.ownerSVGElement;
    let dragging = false;
    start.addEventListener("pointerdown", (ev) => { dragging = true; svg.setPointerCapture(ev.pointerId); ev.preventDefault(); });
    svg.addEventListener("pointermove", (ev) => {
      if (!dragging) return;
      const pt = svg.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;
      const p = pt.matrixTransform(svg.getScreenCTM().inverse());
      start.setAttribute("cx", p.x); start.setAttribute("cy", p.y);
    });
    svg.addEventListener("pointerup", () => {
      if (!dragging) return;
      dragging = false;
      const d = (a, b) => Math.hypot(a.getAttribute("cx") - b.getAttribute("cx"), a.getAttribute("cy") - b.getAttribute("cy"));
      if (d(start, end) < 40) location.href = to({ street, direction: page.dataset.flip });
      else location.reload();
    });
  }

  async function post(url, body) {
    const r = await fetch(url, { method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf } });
    const v = await r.json();
    if (!r.ok) { document.getElementById("campaign-error").textContent = v.error; throw new Error(v.error); }
    return v;
  }
  const go = (id) => { location.href = to({ street, campaign: id }); };
  const on = (id, ev, f) => { const el = document.getElementById(id); if (el) el.addEventListener(ev, f); };
  on("new-campaign", "click", async () => {
    const v = await post("/api/campaigns", { name: page.dataset.streetName + "门牌整编", streets: [street] });
    go(v.id);
  });
  on("pin", "click", async () => {
    const pins = [...document.querySelectorAll("input[data-plate]")].filter((i) => i.value.trim())
      .map((i) => ({ plate: i.dataset.plate, number: i.value.trim() }));
    await post(`/api/campaigns/${encodeURIComponent(campaign)}/pins`, { pins });
    go(campaign);
  });
  on("approve", "submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    await post(`/api/campaigns/${encodeURIComponent(campaign)}/approve`, { document: { issuer: f.issuer.value, number: f.number.value, date: f.date.value } });
    go(campaign);
  });
  on("apply", "click", async () => { await post(`/api/campaigns/${encodeURIComponent(campaign)}/apply`, {}); go(campaign); });
  on("save-direction", "click", async () => {
    const r = await fetch(`/api/records/${encodeURIComponent(street)}`);
    const f = await r.json();
    const properties = Object.assign({}, f.properties);
    for (const k of JSON.parse(page.dataset.readOnly)) delete properties[k];
    properties.numbering = JSON.parse(page.dataset.overrides);
    const put = await fetch(`/api/records/${encodeURIComponent(street)}`, { method: "PUT",
      body: JSON.stringify({ reason: "编号方向调整", feature: { type: "Feature", geometry: f.geometry, properties } }),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "If-Match": r.headers.get("ETag") } });
    const v = await put.json();
    if (!put.ok) { document.getElementById("campaign-error").textContent = v.error; return; }
    location.href = to({ street });
  });
})();
