// The boundary page's map: units, lines by legal status, markers (alerts in red), disputed
// areas and the check's findings.
(function () {
  "use strict";
  const el = document.getElementById("boundary-map");
  if (!el || !window.maplibregl) return;
  const data = JSON.parse(el.dataset.boundaries);
  const map = new maplibregl.Map({
    container: el,
    style: { version: 8, glyphs: "/glyphs/{fontstack}/{range}.pbf", sources: {}, layers: [{ id: "bg", type: "background", paint: { "background-color": "#f2efe9" } }] },
    attributionControl: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  map.on("load", () => {
    for (const name of ["units", "lines", "markers", "disputes", "findings", "claims"]) {
      map.addSource(name, { type: "geojson", data: data[name] });
    }
    map.addSource("draft", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "units", type: "line", source: "units", paint: { "line-color": "#999", "line-width": 0.8 } });
    map.addLayer({ id: "disputes", type: "fill", source: "disputes", paint: { "fill-color": "#e74c3c", "fill-opacity": 0.35 } });
    map.addLayer({ id: "lines", type: "line", source: "lines",
      paint: { "line-color": ["case", ["get", "agreed"], "#7b3f00", "#d98c3a"], "line-width": 2.5 } });
    map.addLayer({ id: "findings-area", type: "fill", source: "findings", filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": "#c0392b", "fill-opacity": 0.6 } });
    map.addLayer({ id: "findings-point", type: "circle", source: "findings", filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": "#c0392b", "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
    // Each party's claim: a dashed outline in the party's colour.
    map.addLayer({ id: "claims", type: "line", source: "claims",
      paint: { "line-color": ["match", ["get", "index"], 0, "#1f5fa8", 1, "#1e8449", "#8e44ad"],
               "line-width": 2, "line-dasharray": [3, 2] } });
    map.addLayer({ id: "draft-fill", type: "fill", source: "draft", filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": "#1f5fa8", "fill-opacity": 0.15 } });
    map.addLayer({ id: "draft-line", type: "line", source: "draft",
      paint: { "line-color": "#1f5fa8", "line-width": 2 } });
    map.addLayer({ id: "draft-points", type: "circle", source: "draft", filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": "#fff", "circle-radius": 4, "circle-stroke-color": "#1f5fa8", "circle-stroke-width": 2 } });
    map.addLayer({ id: "markers", type: "circle", source: "markers",
      paint: { "circle-color": ["case", ["get", "alert"], "#d00", "#111"], "circle-radius": 5,
               "circle-stroke-color": "#f1c40f", "circle-stroke-width": 2 } });
    // Marker numbers and line names where they fit.
    const font = ["Noto Sans CJK SC Regular"];
    map.addLayer({ id: "marker-labels", type: "symbol", source: "markers", minzoom: 11,
      layout: { "text-field": ["get", "number"], "text-size": 11, "text-offset": [0, 1], "text-anchor": "top", "text-font": font },
      paint: { "text-color": "#111", "text-halo-color": "#fff", "text-halo-width": 1.2 } });
    map.addLayer({ id: "line-labels", type: "symbol", source: "lines", minzoom: 12,
      layout: { "symbol-placement": "line", "text-field": ["get", "name"], "text-size": 11, "text-font": font },
      paint: { "text-color": "#7b3f00", "text-halo-color": "#fff", "text-halo-width": 1.2 } });
    // A click says what was clicked, in words.
    const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
    map.on("click", (e) => {
      const box = [[e.point.x - 5, e.point.y - 5], [e.point.x + 5, e.point.y + 5]];
      const hit = map.queryRenderedFeatures(box, { layers: ["markers", "lines", "disputes"] })[0];
      if (!hit) return;
      const p = hit.properties;
      let html;
      if (hit.layer.id === "markers") html = `<b>界桩 ${esc(p.number)}</b>${p.alert ? '<br><span style="color:#d00">观测报警：偏离、损坏或丢失</span>' : ""}`;
      else if (hit.layer.id === "lines") html = `<b>${esc(p.name)}</b><br>${p.agreed ? "已勘定界线" : "未勘定界线"}`;
      else html = `<b>${esc(p.title)}</b><br>${p.open ? "争议处理中，区域冻结" : "已结案"}`;
      new maplibregl.Popup({ closeButton: true }).setLngLat(e.lngLat).setHTML(html).addTo(map);
    });
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
  window.boundaryMap = map;
})();

// Filing a dispute: each party's claim drawn on the map (click the vertices, then finish) or
// read from a GeoJSON file; the server computes the disputed area from the claims and freezes
// it. Errors name the party and what is wrong.
(function () {
  "use strict";
  const form = document.getElementById("file-dispute");
  const map = window.boundaryMap;
  if (!form || !map) return;
  const parties = Array.from(form.querySelectorAll(".party"));
  const claims = new Map();
  const hint = document.getElementById("draw-hint");
  const finish = document.getElementById("finish-claim");
  let drawing = null;
  const showDraft = () => {
    const features = [];
    for (const [i, g] of claims) features.push({ type: "Feature", geometry: g, properties: { index: i } });
    if (drawing) {
      const pts = drawing.points;
      for (const p of pts) features.push({ type: "Feature", geometry: { type: "Point", coordinates: p }, properties: {} });
      if (pts.length > 1) features.push({ type: "Feature", geometry: { type: "LineString", coordinates: pts }, properties: {} });
    }
    map.getSource("draft").setData({ type: "FeatureCollection", features });
  };
  const setClaim = (i, geometry, how) => {
    claims.set(i, geometry);
    parties[i].querySelector(".claim-state").textContent = how;
    showDraft();
  };
  parties.forEach((party, i) => {
    party.querySelector(".draw").addEventListener("click", () => {
      drawing = { index: i, points: [] };
      hint.hidden = false;
      finish.hidden = false;
      map.doubleClickZoom.disable();
      map.getCanvas().style.cursor = "crosshair";
      map.getContainer().scrollIntoView({ block: "center" });
      showDraft();
    });
    party.querySelector(".claim-file").addEventListener("change", async (ev) => {
      const file = ev.target.files[0];
      if (!file) return;
      try {
        const gj = JSON.parse(await file.text());
        const g = gj.type === "FeatureCollection" ? gj.features[0].geometry : gj.type === "Feature" ? gj.geometry : gj;
        setClaim(i, g, `已读入 ${file.name}`);
      } catch (e) {
        party.querySelector(".claim-state").textContent = `无法读取 ${file.name}：不是 GeoJSON`;
      }
    });
  });
  map.on("click", (e) => {
    if (!drawing) return;
    drawing.points.push([Number(e.lngLat.lng.toFixed(7)), Number(e.lngLat.lat.toFixed(7))]);
    showDraft();
  });
  const done = () => {
    if (!drawing) return;
    // A double click also clicked twice at its place: one vertex there.
    const pts = drawing.points.filter((p, k, a) => k === 0 || p[0] !== a[k - 1][0] || p[1] !== a[k - 1][1]);
    const i = drawing.index;
    drawing = null;
    hint.hidden = true;
    finish.hidden = true;
    map.getCanvas().style.cursor = "";
    setTimeout(() => map.doubleClickZoom.enable(), 0);
    if (pts.length < 3) { parties[i].querySelector(".claim-state").textContent = "顶点不足 3 个，请重新绘制"; showDraft(); return; }
    setClaim(i, { type: "Polygon", coordinates: [pts.concat([pts[0]])] }, `已绘制（${pts.length} 个顶点）`);
    form.scrollIntoView({ block: "center" });
  };
  finish.addEventListener("click", done);
  map.on("dblclick", (e) => { if (drawing) { e.preventDefault(); done(); } });
  document.getElementById("add-party").addEventListener("click", () => {
    const hidden = parties.find((p) => p.hidden);
    if (hidden) hidden.hidden = false;
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const out = form.querySelector("output");
    const body = { title: form.elements.title.value, parties: [], evidence: [] };
    if (form.elements.filed.value) body.filed = form.elements.filed.value;
    parties.forEach((party, i) => {
      const code = party.querySelector("select[name=code]").value;
      if (party.hidden || !code) return;
      body.parties.push({ code, claim: claims.get(i) || null });
      const kind = party.querySelector("select[name=evidence_kind]").value;
      const title = party.querySelector("input[name=evidence_title]").value;
      if (kind && title) body.evidence.push({ party: code, kind, title });
    });
    const missing = body.parties.findIndex((p) => !p.claim);
    if (missing >= 0) { out.textContent = `当事单位${missing + 1}还没有主张范围`; out.className = "alert"; return; }
    const r = await fetch("/api/disputes", {
      method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": form.elements.csrf.value },
      body: JSON.stringify(body),
    });
    const answer = await r.json();
    if (!r.ok) { out.textContent = answer.error; out.className = "alert"; return; }
    out.textContent = `已受理：争议区域 ${answer.area_m2.toFixed(0)} 平方米（${answer.mu.toFixed(2)} 亩），区域内门牌 ${answer.contents.door_plates} 处`;
    out.className = "";
    setTimeout(() => location.reload(), 1500);
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
