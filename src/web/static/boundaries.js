// The boundary page's map: units, lines by legal status, markers (alerts in red), disputed
// areas and the check's findings.
(function () {
  "use strict";
  const el = document.getElementById("boundary-map");
  if (!el || !window.maplibregl) return;
  const data = JSON.parse(el.dataset.boundaries);
  const map = new maplibregl.Map({
    container: el,
    style: { version: 8, sources: {}, layers: [{ id: "bg", type: "background", paint: { "background-color": "#f2efe9" } }] },
    attributionControl: false,
  });
  map.on("load", () => {
    for (const name of ["units", "lines", "markers", "disputes", "findings"]) {
      map.addSource(name, { type: "geojson", data: data[name] });
    }
    map.addLayer({ id: "units", type: "line", source: "units", paint: { "line-color": "#999", "line-width": 0.8 } });
    map.addLayer({ id: "disputes", type: "fill", source: "disputes", paint: { "fill-color": "#e74c3c", "fill-opacity": 0.35 } });
    map.addLayer({ id: "lines", type: "line", source: "lines",
      paint: { "line-color": ["case", ["get", "agreed"], "#7b3f00", "#d98c3a"], "line-width": 2.5 } });
    map.addLayer({ id: "findings-area", type: "fill", source: "findings", filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": "#c0392b", "fill-opacity": 0.6 } });
    map.addLayer({ id: "findings-point", type: "circle", source: "findings", filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": "#c0392b", "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
    map.addLayer({ id: "markers", type: "circle", source: "markers",
      paint: { "circle-color": ["case", ["get", "alert"], "#d00", "#111"], "circle-radius": 5,
               "circle-stroke-color": "#f1c40f", "circle-stroke-width": 2 } });
    const xs = [], ys = [];
    for (const f of data.lines.features.concat(data.markers.features)) {
      const walk = (c) => (typeof c[0] === "number" ? (xs.push(c[0]), ys.push(c[1])) : c.forEach(walk));
      walk(f.geometry.coordinates);
    }
    if (xs.length) {
      map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 30, duration: 0 });
    }
    el.dataset.ready = "1";
  });
})();

// The observation form: the marker's registered position fills in, the officer corrects it to
// where the marker stands; the answer says how far that is and whether it raised an alert.
(function () {
  "use strict";
  const form = document.getElementById("observe");
  if (!form) return;
  const select = form.elements.number;
  const fill = () => {
    const o = select.selectedOptions[0];
    form.elements.lon.value = o.dataset.lon;
    form.elements.lat.value = o.dataset.lat;
  };
  select.addEventListener("change", fill);
  fill();
  form.elements.state.addEventListener("change", () => {
    const missing = form.elements.state.value === "missing";
    form.elements.lon.required = !missing;
    form.elements.lat.required = !missing;
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = form.elements;
    const body = { state: f.state.value, notes: f.notes.value };
    if (f.state.value !== "missing") { body.lon = Number(f.lon.value); body.lat = Number(f.lat.value); }
    if (f.date.value) body.date = f.date.value;
    const out = document.getElementById("observed");
    const r = await fetch(`/api/markers/${encodeURIComponent(f.number.value)}/observations`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": f.csrf.value },
      body: JSON.stringify(body),
    });
    const answer = await r.json();
    if (!r.ok) { out.textContent = answer.error; out.className = "alert"; return; }
    out.textContent = `已登记：偏离登记位置 ${answer.offset_m.toFixed(2)} 米，${answer.alert ? "已报警（界桩可能移动或损坏）" : "正常"}`;
    out.className = answer.alert ? "alert" : "";
    setTimeout(() => location.reload(), 1200);
  });
})();

// The dispute steps: the next step of a dispute, on the version the page showed (a dispute
// moved meanwhile by someone else is refused, nothing changes); the answer or the error shows.
(function () {
  "use strict";
  for (const form of document.querySelectorAll("form.dispute-step")) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = form.elements;
      const body = { status: f.status.value, note: f.note.value };
      if (f.date.value) body.date = f.date.value;
      if (f.issuer.value || f.number.value) {
        body.document = { issuer: f.issuer.value, number: f.number.value, date: f.doc_date.value || f.date.value };
      }
      const out = form.querySelector("output");
      const r = await fetch(`/api/disputes/${form.dataset.id}/steps`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": f.csrf.value, "If-Match": `"${form.dataset.version}"` },
        body: JSON.stringify(body),
      });
      const answer = await r.json();
      if (!r.ok) { out.textContent = answer.error; out.className = "alert"; return; }
      out.textContent = "已登记";
      out.className = "";
      setTimeout(() => location.reload(), 800);
    });
  }
})();
