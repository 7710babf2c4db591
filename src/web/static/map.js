// The map page: every layer the caller may see, from our own server (vector tiles for the
// layers of many small things, GeoJSON from the JSON API for the rest), drawn as
// maps/web-map.json says, on a MapLibre map with no external base map. A click shows the feature's attributes and its history; a date shows
// the map as it was. Officers' tools, all through the JSON API with the page's CSRF token:
// add a door plate (infill), draw a street, edit or retire a feature (with the conflict view).
"use strict";

(function () {
  const el = document.getElementById("map");
  const extent = JSON.parse(el.dataset.extent);
  const layers = JSON.parse(el.dataset.layers);

  // How each layer is drawn comes from maps/web-map.json (MapLibre style layers per layer of
  // the registry). Layers of many small things come as vector tiles cut by the server; the
  // others as GeoJSON, which the editor snaps to and the Mongolian labels are read from.
  let STYLE_LAYERS = {};
  const TILED = new Set(["door_plates", "plots", "graves", "signs"]);
  let tileVersion = 0;
  const tileSource = (table) => ({
    type: "vector",
    tiles: [`${location.origin}/tiles/${table}/{z}/{x}/{y}.mvt${tileVersion ? `?v=${tileVersion}` : ""}`],
    maxzoom: 18,
  });
  // A layer's drawing for its source: vector tiles name their layer inside the tile.
  const styled = (table, tiled) => (STYLE_LAYERS[table] || []).map((l) =>
    Object.assign({}, l, { source: table }, tiled ? { "source-layer": table } : {}));
  const SWATCH = { admin_units: "#8a6d3b", campaigns: "#6a3d9a", streets: "#f6c85f", places: "#1f6f8b", door_plates: "#c0392b", signs: "#2e7d32", boundary_markers: "#111", boundary_lines: "#7b3f00",
                   zones: "#b0bec5", cemeteries: "#7d9b76", cemetery_sections: "#4e6b47", plots: "#8d6e63", graves: "#37474f" };
  // Clicks prefer small things over large ones.
  const CLICK_ORDER = ["retired-circle", "retired-line", "retired-fill", "boundary_markers-circle", "signs-circle", "graves-circle", "door_plates-circle", "places-circle", "plots-fill", "places-fill", "streets-line", "streets-casing", "boundary_lines-line", "cemeteries-fill", "campaigns-fill", "zones-fill", "admin_units-fill"];

  function esc(s) {
    return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  const map = new maplibregl.Map({
    container: "map",
    style: {
      version: 8,
      glyphs: "/glyphs/{fontstack}/{range}.pbf",
      sources: {},
      layers: [{ id: "background", type: "background", paint: { "background-color": "#f2efe9" } }],
    },
    bounds: [[extent[0], extent[1]], [extent[2], extent[3]]],
    fitBoundsOptions: { padding: 20 },
    localIdeographFontFamily: "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
    attributionControl: false,
  });
  map.addControl(new maplibregl.NavigationControl(), "top-left");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  window.dimingMap = map;
  window.dimingReady = false;

  // Each layer's features as fetched: exact coordinates for snapping (rendered features are
  // quantised to their tile).
  const sourceData = {};
  const switcher = document.getElementById("layers");

  // A layer's features from the API (as of a date if given), each carrying its record id.
  async function fetchLayer(table, asOf) {
    const fc = await (await fetch(`/api/layers/${table}${asOf ? `?as_of=${asOf}` : ""}`)).json();
    for (const f of fc.features) {
      f.properties.rid = f.id;
      // The naming status drawn (proposed names dashed), flat as the style reads it.
      if (f.properties.naming) f.properties.status = f.properties.naming.status;
    }
    return fc;
  }

  // Puts a layer's features on the map again (after a write, or for another date). A tiled
  // layer is asked for its tiles again, or, for another date, drawn from the history as
  // GeoJSON (tiles are the present).
  async function reload(table, asOf) {
    const source = map.getSource(table);
    const tiled = TILED.has(table) && !asOf;
    if (tiled && source.type === "vector") {
      tileVersion += 1;
      source.setTiles(tileSource(table).tiles);
      return;
    }
    if (!tiled && source.type === "geojson") {
      const fc = await fetchLayer(table, asOf);
      sourceData[table] = fc;
      source.setData(fc);
      return;
    }
    // The kind of source changes: the layer's drawing is put back where it was, as it was.
    const ids = (STYLE_LAYERS[table] || []).map((l) => l.id);
    const all = map.getStyle().layers.map((l) => l.id);
    const last = Math.max(...ids.map((id) => all.indexOf(id)));
    const before = all.slice(last + 1).find((id) => !ids.includes(id));
    const hidden = ids.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, "visibility") === "none");
    for (const id of ids) if (map.getLayer(id)) map.removeLayer(id);
    map.removeSource(table);
    if (tiled) {
      map.addSource(table, tileSource(table));
      delete sourceData[table];
    } else {
      const fc = await fetchLayer(table, asOf);
      sourceData[table] = fc;
      map.addSource(table, { type: "geojson", data: fc });
    }
    for (const l of styled(table, tiled)) {
      map.addLayer(l, before);
      if (hidden.includes(l.id)) map.setLayoutProperty(l.id, "visibility", "none");
    }
  }
  // Mongolian names, which the map's text renderer cannot shape, as HTML labels set
  // vertically (top to bottom, lines left to right) by the browser.
  function mongolianLabels(fc) {
    const out = [];
    for (const f of fc.features) {
      const mn = f.properties.name_mn;
      if (!mn) continue;
      let at;
      if (f.geometry.type === "Point") {
        at = f.geometry.coordinates;
      } else {
        const b = [Infinity, Infinity, -Infinity, -Infinity];
        const walk = (c) => { if (typeof c[0] === "number") { b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]); } else c.forEach(walk); };
        walk(f.geometry.coordinates);
        at = [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
      }
      const div = document.createElement("div");
      div.className = "mn-label";
      div.lang = "mn-Mong";
      div.textContent = mn;
      out.push(new maplibregl.Marker({ element: div }).setLngLat(at).addTo(map));
    }
    return out;
  }

  function addSwitch(layer, ids, markers = []) {
    const label = document.createElement("label");
    label.innerHTML = `<input type="checkbox" checked data-layer="${esc(layer.layer)}"> <span class="swatch" style="background:${SWATCH[layer.layer] || "#999"}"></span>${esc(layer.label)}（${layer.count}）`;
    label.querySelector("input").addEventListener("change", (ev) => {
      for (const id of ids) map.setLayoutProperty(id, "visibility", ev.target.checked ? "visible" : "none");
      for (const m of markers) m.getElement().style.display = ev.target.checked ? "" : "none";
    });
    switcher.appendChild(label);
  }

  async function loadLayers() {
    // Large areas below, small things on top.
    const order = ["admin_units", "boundary_lines", "zones", "campaigns", "cemeteries", "cemetery_sections", "plots", "streets", "places", "door_plates", "signs", "graves", "boundary_markers"];
    STYLE_LAYERS = (await (await fetch("/maps/web-map.json")).json()).layers;
    // The forms of the layers this officer draws and edits, ready before the first click.
    await Promise.all(DRAWABLE.map((d) => schemaOf(d.table)));
    const known = order.filter((t) => layers.some((l) => l.layer === t));
    const data = await Promise.all(known.map((t) => (TILED.has(t) ? null : fetchLayer(t))));
    known.forEach((table, i) => {
      const fc = data[i];
      if (fc) {
        sourceData[table] = fc;
        map.addSource(table, { type: "geojson", data: fc });
      } else {
        map.addSource(table, tileSource(table));
      }
      const drawn = styled(table, !fc);
      for (const l of drawn) map.addLayer(l);
      const markers = fc ? mongolianLabels(fc) : [];
      addSwitch(layers.find((l) => l.layer === table), drawn.map((l) => l.id), markers);
    });
    // The feature the officer clicked, outlined above everything else.
    map.addSource("selected", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "selected-fill", type: "fill", source: "selected", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#00bcd4", "fill-opacity": 0.18 } });
    map.addLayer({ id: "selected-line", type: "line", source: "selected", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#00acc1", "line-width": 4 } });
    map.addLayer({ id: "selected-point", type: "circle", source: "selected", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 9, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#00acc1", "circle-stroke-width": 3 } });
    // What the officer is drawing or reshaping, and the check's finding, above everything.
    for (const id of ["check-point", "handles-line", "handles-point", "draft-line", "draft-point"]) {
      if (map.getLayer(id)) map.moveLayer(id);
    }
    map.once("idle", () => { window.dimingReady = true; });
  }

  // A time the server gives (UTC) as people in China read it.
  function chinaTime(s) {
    if (!s) return "";
    const d = new Date(s);
    if (isNaN(d)) return s;
    return d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
  }

  // A row of the record's panel: its label and value as the server describes the record.
  function row(label, value, mongolian) {
    const cls = mongolian ? ' class="mongolian" lang="mn-Mong"' : "";
    return `<tr><td>${esc(label)}</td><td${cls}>${esc(value)}</td></tr>`;
  }

  // The record the panel shows (the keys E and L act on it).
  let shown = null;
  async function show(id) {
    const panel = document.getElementById("panel");
    panel.innerHTML = "<p>读取中…</p>";
    const [rec, hist] = await Promise.all([
      fetch(`/api/records/${id}`).then((r) => r.json()),
      fetch(`/api/records/${id}/history`).then((r) => r.json()),
    ]);
    if (rec.error) { panel.innerHTML = `<p class="error">${esc(rec.error)}</p>`; return; }
    const selected = map.getSource("selected");
    if (selected && rec.geometry) selected.setData({ type: "FeatureCollection", features: [{ type: "Feature", geometry: rec.geometry, properties: {} }] });
    // Shown as the server describes the record (labels and values in Chinese); the record
    // itself is saved back as it came.
    const p = rec.properties;
    let html = `<h3 id="feature-title">${esc(rec.title || id)}</h3><p class="meta" id="feature-layer">${esc(rec.layer_label || "")}</p><table id="attributes">`;
    for (const [label, value] of rec.attributes || []) html += row(label, value, label === "蒙古文名称" || label === "蒙古文");
    if (p.romanization && p.romanization.standard) html += row("罗马字母拼写", p.romanization.standard);
    html += row("版本", p.version) + row("生效日期", p.valid_from);
    html += `</table><h3>历史 <small><a id="record-link" href="/records/${id}">完整历史与比较</a></small></h3><ol id="history">`;
    for (const v of (hist.versions || []).slice().reverse()) {
      const c = v.changeset || {};
      const doc = c.document ? `${esc(c.document.issuer)} ${esc(c.document.number)}（${esc(c.document.date)}）` : "";
      html += `<li><strong>第 ${v.properties.version} 版</strong> ${esc(v.title || "")}${v.properties.retired ? "（注销）" : ""}`
        + `<div class="meta">生效 ${esc(v.properties.valid_from)}；登记 ${esc(chinaTime(c.recorded_at))}${c.author ? "；" + esc(c.author) : ""}</div>`
        + `<div>${esc(c.reason)}</div>${doc ? `<div class="meta">依据：${doc}</div>` : ""}</li>`;
    }
    html += "</ol>";
    const canEdit = writable.includes(p.layer) && TABLE[p.layer];
    // A street's door plates as a list beside the map (map_table.js opens it).
    const tools = (canEdit ? '<button id="edit-attributes" title="快捷键 E">编辑属性</button> ' : "")
      + (p.layer === "street" && layers.some((l) => l.layer === "door_plates") ? '<button id="plate-list-open" title="快捷键 L">门牌列表</button>' : "");
    if (tools) html = html.replace('<table id="attributes">', `<p>${tools}</p><table id="attributes">`);
    shown = rec;
    panel.innerHTML = html;
    if (canEdit) document.getElementById("edit-attributes").addEventListener("click", () => editForm(rec));
  }

  // Editing attributes: the version shown is the one the save names (If-Match). If someone
  // saved first, both versions are shown and the officer re-applies the edit on the new one.
  const writable = JSON.parse(el.dataset.writable || "[]");
  // Forms come from the layers' schemas (GET /api/layers/{table}/schema, JSON Schema): each
  // field's title, type, choices, whether it is required, the layer a reference points at.
  const DRAWABLE = JSON.parse(el.dataset.drawable || "[]");
  const TABLE = Object.fromEntries(DRAWABLE.map((d) => [d.layer, d.table]));
  const schemas = {};
  async function schemaOf(table) {
    if (!(table in schemas)) {
      const r = await fetch(`/api/layers/${table}/schema`);
      schemas[table] = r.ok ? await r.json() : null;
    }
    return schemas[table];
  }
  // What a GET adds to a record's own attributes (the server's list, `api::READ_ONLY`).
  const READ_ONLY = JSON.parse(el.dataset.readOnly);
  function editable(props) {
    const out = Object.assign({}, props);
    for (const k of READ_ONLY) delete out[k];
    return out;
  }
  const getPath = (o, path) => path.split(".").reduce((v, k) => (v == null ? undefined : v[k]), o);
  function setPath(o, path, v) {
    const keys = path.split(".");
    let at = o;
    for (const k of keys.slice(0, -1)) { if (typeof at[k] !== "object" || at[k] === null) at[k] = {}; at = at[k]; }
    if (v === undefined) delete at[keys[keys.length - 1]]; else at[keys[keys.length - 1]] = v;
  }
  const fieldSchema = (schema, path) => path.split(".").reduce((s, k) => s && s.properties && s.properties[k], schema);
  // One field's input, named by its path in the feature's properties ("naming.status").
  function input(path, s, value, required) {
    if (s.oneOf) {
      return `<select data-field="${path}">` + (required ? "" : `<option value=""></option>`)
        + s.oneOf.map((c) => `<option value="${esc(c.const)}"${c.const === value ? " selected" : ""}>${esc(c.title)}</option>`).join("") + "</select>";
    }
    const ref = s["x-layer"] || (s.items && s.items["x-layer"]);
    if (ref) {
      const current = [].concat(value || []);
      return `<select data-field="${path}" data-ref="${[].concat(ref).join(",")}" data-current="${esc(current.join(","))}"${s.type === "array" ? " multiple size=\"4\"" : ""}>`
        + current.map((id) => `<option value="${esc(id)}" selected>${esc(id)}</option>`).join("") + "</select>";
    }
    if (s.type === "boolean") return `<input type="checkbox" data-field="${path}"${value ? " checked" : ""}>`;
    if (s.type === "integer" || s.type === "number") {
      return `<input type="number" data-field="${path}" value="${esc(value ?? "")}" step="${s.type === "integer" ? 1 : "any"}"${s.minimum !== undefined ? ` min="${s.minimum}"` : ""}>`;
    }
    if (s.format === "date") return `<input type="date" data-field="${path}" value="${esc(value || "")}">`;
    const mn = s["x-script"] === "mongolian" ? ' class="mongolian" lang="mn-Mong"' : "";
    return `<input data-field="${path}" value="${esc(value ?? "")}"${mn}${s.examples ? ` placeholder="${esc(s.examples[0])}"` : ""}>`;
  }
  // The rows of a form: nested objects (命名信息, 标志上的文字) as titled groups.
  function formRows(schema, values, prefix = "") {
    return schema["x-order"].map((k) => {
      const s = schema.properties[k], path = prefix + k, required = schema.required.includes(k);
      if (s.type === "object" && s.properties) return `<tr><th colspan="2">${esc(s.title)}</th></tr>` + formRows(s, (values || {})[k], path + ".");
      return `<tr><td>${esc(s.title)}${required ? ' <span class="required">*</span>' : ""}</td><td>${input(path, s, (values || {})[k], required)}</td></tr>`;
    }).join("");
  }
  // A field's value as typed ("" for an empty optional field, which removes it).
  function valueOf(i, schema) {
    const s = fieldSchema(schema, i.dataset.field) || {};
    if (i.type === "checkbox") return i.checked;
    if (i.multiple) return [...i.selectedOptions].map((o) => o.value);
    if ((s.type === "integer" || s.type === "number") && i.value !== "") return Number(i.value);
    return i.value;
  }
  // The references' choices: the records of the referenced layers around the feature, nearest
  // first; a field filled from another (the plot's cemetery from its section) follows it.
  async function fillReferences(panel, schema, geometry) {
    const flat = [];
    const walk = (c) => { if (typeof c[0] === "number") flat.push(c); else c.forEach(walk); };
    walk(geometry.coordinates);
    const xs = flat.map((c) => c[0]), ys = flat.map((c) => c[1]);
    const pad = 0.004, at = flat[0];
    const bbox = [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad].join(",");
    const found = {};
    for (const sel of panel.querySelectorAll("select[data-ref]")) {
      const options = [];
      for (const table of sel.dataset.ref.split(",")) {
        const r = await fetch(`/api/layers/${table}?bbox=${bbox}&limit=200`);
        if (!r.ok) continue;
        for (const f of (await r.json()).features) {
          options.push({ f, d: distance(at, f.geometry), table });
        }
      }
      options.sort((a, b) => a.d - b.d);
      found[sel.dataset.field] = options.map((o) => o.f);
      const current = sel.dataset.current ? sel.dataset.current.split(",") : [];
      for (const id of current) if (!options.some((o) => o.f.id === id)) options.unshift({ f: { id, properties: {} }, table: "" });
      const required = schema.required.includes(sel.dataset.field.split(".")[0]);
      sel.innerHTML = (required && !sel.multiple ? "" : (sel.multiple ? "" : `<option value=""></option>`))
        + options.map((o) => `<option value="${esc(o.f.id)}"${current.includes(o.f.id) ? " selected" : ""}>${esc(title(o.f.properties) || o.f.id)}${o.table ? `（${esc(tableLabel(o.table))}）` : ""}</option>`).join("");
      if (!current.length && !sel.multiple && required && options.length) sel.value = options[0].f.id;
      if (!current.length && sel.multiple && options.length) sel.options[0].selected = true;
    }
    // Fields filled from a referenced record.
    for (const k of schema["x-order"]) {
      const fill = schema.properties[k]["x-fill"];
      if (!fill) continue;
      const from = panel.querySelector(`[data-field="${fill.from}"]`), to = panel.querySelector(`[data-field="${k}"]`);
      const follow = () => {
        const f = (found[fill.from] || []).find((x) => x.id === from.value);
        const v = f && f.properties[fill.property];
        if (!v) return;
        if (![...to.options].some((o) => o.value === v)) to.insertAdjacentHTML("beforeend", `<option value="${esc(v)}">${esc(v)}</option>`);
        to.value = v;
      };
      from.addEventListener("change", follow);
      follow();
    }
  }
  const title = (p) => p.name || p.code || (p.number !== undefined ? `${p.street_name || ""}${p.number}` : "");
  const tableLabel = (table) => (layers.find((l) => l.layer === table) || {}).label || table;
  // How far a geometry is from a point (in degrees of latitude, longitude scaled): 0 inside
  // an area, else the nearest point of its lines, so that the street beside a door plate and
  // the section around a plot come first.
  function distance(at, g) {
    const k = Math.cos(at[1] * Math.PI / 180);
    const seg = (a, b) => {
      const ax = (a[0] - at[0]) * k, ay = a[1] - at[1], dx = (b[0] - a[0]) * k, dy = b[1] - a[1];
      const len = dx * dx + dy * dy;
      const s = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
      return Math.hypot(ax + s * dx, ay + s * dy);
    };
    const inside = (ring) => {
      let odd = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > at[1]) !== (yj > at[1]) && at[0] < ((xj - xi) * (at[1] - yi)) / (yj - yi) + xi) odd = !odd;
      }
      return odd;
    };
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    if (polygons.some((p) => inside(p[0]) && !p.slice(1).some(inside))) return 0;
    let best = Infinity;
    const walk = (c) => {
      if (typeof c[0] === "number") best = Math.min(best, seg(c, c));
      else if (typeof c[0][0] === "number") for (let i = 0; i < c.length; i++) best = Math.min(best, seg(c[i], c[Math.min(i + 1, c.length - 1)]));
      else c.forEach(walk);
    };
    walk(g.coordinates);
    return best;
  }

  // The check before saving: the same rules as saving (geometry, versions, numbers, frozen
  // areas…), nothing written; a problem with a place is marked on the map.
  async function check(writes, out) {
    const r = await fetch("/api/changesets/check", { method: "POST", body: JSON.stringify({ reason: "保存前检查", writes }),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": el.dataset.csrf } });
    const v = await r.json();
    out.className = r.ok ? "check-ok" : "error";
    // A name the rules object to may still be saved as proposed: say so, not "passed".
    const objected = document.querySelector("#name-verdicts .verdict.error");
    out.textContent = !r.ok ? `不能保存：${v.error}`
      : objected ? "可以保存为拟命名；名称不符合命名规则，批准前须更正或凭批准文件"
      : "检查通过：可以保存";
    if (map.getSource("check")) {
      map.getSource("check").setData({ type: "FeatureCollection",
        features: v.location ? [{ type: "Feature", geometry: v.location, properties: {} }] : [] });
    }
    return r.ok;
  }
  map.on("load", () => {
    map.addSource("check", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "check-point", type: "circle", source: "check",
      paint: { "circle-color": "#c0392b", "circle-radius": 8, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
  });
  function updated(rec, changes) {
    const properties = JSON.parse(JSON.stringify(editable(rec.properties)));
    for (const [k, v] of Object.entries(changes)) setPath(properties, k, v === "" ? undefined : v);
    return { type: "Feature", geometry: rec.geometry, properties };
  }
  // What the officer changed in a form: paths whose value differs from the record's.
  function changesIn(panel, schema, properties) {
    const changes = {};
    for (const i of panel.querySelectorAll("[data-field]")) {
      const v = valueOf(i, schema), was = getPath(properties, i.dataset.field);
      const empty = typeof v === "boolean" ? false : Array.isArray(v) ? [] : "";
      if (JSON.stringify(v) !== JSON.stringify(was ?? empty)) changes[i.dataset.field] = v;
    }
    return changes;
  }
  async function save(rec, changes, reason) {
    return fetch(`/api/records/${rec.id}`, { method: "PUT",
      body: JSON.stringify({ reason, feature: updated(rec, changes) }),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": el.dataset.csrf, "If-Match": `"${rec.properties.version}"` } });
  }
  async function editForm(rec) {
    const panel = document.getElementById("panel");
    const schema = schemas[TABLE[rec.properties.layer]] || await schemaOf(TABLE[rec.properties.layer]);
    panel.innerHTML = `<h3>编辑：${esc(rec.properties.name || rec.properties.number || rec.properties.code)}（第 ${rec.properties.version} 版）</h3><table id="edit-form">`
      + formRows(schema, rec.properties)
      + `</table><label>变更原因 <input id="edit-reason" value="属性更正"></label> <button id="check-attributes">检查</button> <button id="save-attributes">保存</button> <button id="retire-feature">注销此记录</button>`
      + (rec.geometry.type === "Point" ? "" : ` <button id="reshape">修改几何</button>`)
      + (rec.properties.layer === "street" ? ` <button id="split">分割</button>` : "")
      + `<p id="check-result"></p><p class="error" id="edit-error"></p>`;
    document.getElementById("retire-feature").addEventListener("click", () => retire(rec));
    if (document.getElementById("reshape")) document.getElementById("reshape").addEventListener("click", () => reshape(rec));
    if (document.getElementById("split")) document.getElementById("split").addEventListener("click", () => startSplit(rec));
    document.getElementById("check-attributes").addEventListener("click", () => {
      const changes = changesIn(panel, schema, rec.properties);
      check([{ op: "update", id: rec.id, if_match: rec.properties.version, feature: updated(rec, changes) }], document.getElementById("check-result"));
    });
    document.getElementById("save-attributes").addEventListener("click", async () => {
      const changes = changesIn(panel, schema, rec.properties);
      const reason = document.getElementById("edit-reason").value;
      const r = await save(rec, changes, reason);
      if (r.status === 412) { conflict(rec, changes, reason); return; }
      const v = await r.json();
      if (!r.ok) { document.getElementById("edit-error").textContent = v.error; return; }
      show(rec.id);
    });
    fillReferences(panel, schema, rec.geometry);
  }
  // Retiring: a version too; the record leaves the map and keeps its history.
  async function retire(rec) {
    const reason = document.getElementById("edit-reason").value;
    const r = await fetch(`/api/records/${rec.id}`, { method: "DELETE", body: JSON.stringify({ reason }),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": el.dataset.csrf, "If-Match": `"${rec.properties.version}"` } });
    const v = await r.json();
    if (r.status === 412) { document.getElementById("edit-error").textContent = "他人已先修改了这条记录，请重新打开后再注销"; return; }
    if (!r.ok) { document.getElementById("edit-error").textContent = v.error; return; }
    const table = TABLE[rec.properties.layer];
    if (table) await reload(table);
    document.getElementById("panel").innerHTML = `<p id="retired">已注销“${esc(rec.title)}”；<a href="/records/${rec.id}">历史仍可查看</a>。</p>`;
  }

  async function conflict(mine, changes, reason) {
    const theirs = await (await fetch(`/api/records/${mine.id}`)).json();
    const panel = document.getElementById("panel");
    const keys = [...new Set([...Object.keys(editable(mine.properties)), ...Object.keys(editable(theirs.properties)), ...Object.keys(changes)])]
      .filter((k) => { const v = getPath(mine.properties, k) ?? getPath(theirs.properties, k); return v === null || v === undefined || typeof v !== "object"; });
    const schema = schemas[TABLE[mine.properties.layer]];
    let html = `<h3 id="conflict">他人已先保存了第 ${theirs.properties.version} 版</h3><p>您的修改没有保存，也没有覆盖他人的修改。</p>`
      + `<table id="conflict-table"><tr><th>属性</th><th>您开始编辑时（第 ${mine.properties.version} 版）</th><th>他人保存的（第 ${theirs.properties.version} 版）</th><th>您的修改</th></tr>`;
    for (const k of keys) {
      const a = getPath(mine.properties, k) ?? "", b = getPath(theirs.properties, k) ?? "";
      const field = (schema && fieldSchema(schema, k)) || {};
      // A code reads as its choice's title in the layer's form.
      const shown = (v) => ((field.oneOf || []).find((c) => c.const === v) || {}).title || v;
      html += `<tr${a !== b || k in changes ? ' style="background:#fff3c4"' : ""}><td>${esc(field.title || k)}</td><td>${esc(shown(a))}</td><td>${esc(shown(b))}</td><td>${k in changes ? esc(shown(changes[k])) : ""}</td></tr>`;
    }
    html += `</table><p><button id="reapply">在第 ${theirs.properties.version} 版上重新应用我的修改</button> <button id="discard">放弃我的修改</button></p><p class="error" id="edit-error"></p>`;
    panel.innerHTML = html;
    document.getElementById("reapply").addEventListener("click", async () => {
      const r = await save(theirs, changes, reason);
      if (r.status === 412) { conflict(theirs, changes, reason); return; }
      const v = await r.json();
      if (!r.ok) { document.getElementById("edit-error").textContent = v.error; return; }
      show(mine.id);
    });
    document.getElementById("discard").addEventListener("click", () => show(mine.id));
  }

  // Reshaping a line or an area: its vertices become handles to drag; a handle dropped near
  // another feature's vertex takes that vertex, near its edge the nearest point of the edge
  // (exact source coordinates where the layer has them). Saved as the record's next version.
  let reshaping = null;
  const SNAP_PX = 10;
  const same = (a, b) => a[0] === b[0] && a[1] === b[1];
  // Every vertex of a geometry as [ring or line, index] paths into its coordinates.
  function vertices(g) {
    const rings = g.type === "LineString" ? [g.coordinates]
      : g.type === "MultiLineString" || g.type === "Polygon" ? g.coordinates
      : g.type === "MultiPolygon" ? g.coordinates.flat() : [];
    const out = [];
    rings.forEach((ring, r) => {
      const closed = ring.length > 3 && same(ring[0], ring[ring.length - 1]);
      for (let i = 0; i < ring.length - (closed ? 1 : 0); i++) out.push({ ring, i, closed });
    });
    return out;
  }
  // Where a dragged vertex lands: another feature's vertex, else its edge, else the pointer.
  function snapTarget(point, lngLat, skipId, among = CLICK_ORDER) {
    const box = [[point.x - SNAP_PX, point.y - SNAP_PX], [point.x + SNAP_PX, point.y + SNAP_PX]];
    const ids = among.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, "visibility") !== "none");
    const exact = (f) => {
      const rid = f.properties.rid;
      if (!rid) return f;
      for (const fc of Object.values(sourceData)) {
        const hit = fc.features.find((x) => x.id === rid);
        if (hit) return hit;
      }
      return f;
    };
    let best = null, bestD = SNAP_PX, edge = null, edgeD = SNAP_PX;
    for (const f of map.queryRenderedFeatures(box, { layers: ids }).map(exact)) {
      if ((f.id || f.properties.rid || f.properties.id) === skipId) continue;
      const lines = [];
      const walk = (c) => { if (typeof c[0][0] === "number") lines.push(c); else c.forEach(walk); };
      if (f.geometry.type === "Point") { lines.push([f.geometry.coordinates]); } else walk(f.geometry.coordinates);
      for (const line of lines) {
        for (let i = 0; i < line.length; i++) {
          const p = map.project(line[i]);
          const d = Math.hypot(p.x - point.x, p.y - point.y);
          if (d <= bestD) { bestD = d; best = [line[i][0], line[i][1]]; }
          if (i === 0) continue;
          // The nearest point of the segment, along it in coordinates.
          const a = line[i - 1], b = line[i];
          const pa = map.project(a), pb = map.project(b);
          const dx = pb.x - pa.x, dy = pb.y - pa.y, len = dx * dx + dy * dy;
          if (!len) continue;
          const t = Math.max(0, Math.min(1, ((point.x - pa.x) * dx + (point.y - pa.y) * dy) / len));
          const de = Math.hypot(pa.x + t * dx - point.x, pa.y + t * dy - point.y);
          if (de <= edgeD) { edgeD = de; edge = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]; }
        }
      }
    }
    return best || edge || [lngLat.lng, lngLat.lat];
  }
  function showHandles() {
    const g = reshaping.geometry;
    map.getSource("handles").setData({ type: "FeatureCollection", features: [
      { type: "Feature", geometry: g, properties: {} },
      ...vertices(g).map((v, k) => ({ type: "Feature", geometry: { type: "Point", coordinates: v.ring[v.i] }, properties: { k } })),
    ] });
  }
  map.on("load", () => {
    map.addSource("handles", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "handles-line", type: "line", source: "handles", filter: ["!=", ["geometry-type"], "Point"],
      paint: { "line-color": "#d35400", "line-width": 3 } });
    map.addLayer({ id: "handles-point", type: "circle", source: "handles", filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": "#fff", "circle-radius": 6, "circle-stroke-color": "#d35400", "circle-stroke-width": 2 } });
    let dragging = null;
    map.on("mousedown", "handles-point", (e) => {
      if (!reshaping) return;
      e.preventDefault();
      dragging = vertices(reshaping.geometry)[e.features[0].properties.k];
      map.dragPan.disable();
    });
    map.on("mousemove", (e) => {
      if (!dragging) return;
      const to = snapTarget(e.point, e.lngLat, reshaping.rec.id);
      const { ring, i, closed } = dragging;
      ring[i] = to;
      if (closed && i === 0) ring[ring.length - 1] = to;
      showHandles();
    });
    map.on("mouseup", () => {
      if (!dragging) return;
      dragging = null;
      map.dragPan.enable();
      const n = document.getElementById("reshape-moved");
      if (n) n.textContent = String(Number(n.textContent) + 1);
    });
  });
  function reshape(rec) {
    reshaping = { rec, geometry: JSON.parse(JSON.stringify(rec.geometry)) };
    showHandles();
    const panel = document.getElementById("panel");
    panel.innerHTML = `<h3>修改几何：${esc(rec.properties.name || rec.properties.number || rec.id)}（第 ${rec.properties.version} 版）</h3>`
      + `<p id="reshape-hint">拖动节点；靠近其他要素的节点或边线时自动吸附。已移动 <span id="reshape-moved">0</span> 次。</p>`
      + `<label>变更原因 <input id="reshape-reason" value="几何修正"></label> <button id="check-geometry">检查</button> <button id="save-geometry">保存几何</button> <button id="cancel-reshape">放弃</button>`
      + `<p id="check-result"></p><p class="error" id="edit-error"></p>`;
    const feature = () => ({ type: "Feature", geometry: reshaping.geometry, properties: editable(rec.properties) });
    const done = () => { reshaping = null; map.getSource("handles").setData({ type: "FeatureCollection", features: [] }); };
    document.getElementById("check-geometry").addEventListener("click", () =>
      check([{ op: "update", id: rec.id, if_match: rec.properties.version, feature: feature() }], document.getElementById("check-result")));
    document.getElementById("cancel-reshape").addEventListener("click", () => { done(); show(rec.id); });
    document.getElementById("save-geometry").addEventListener("click", async () => {
      const r = await fetch(`/api/records/${rec.id}`, { method: "PUT",
        body: JSON.stringify({ reason: document.getElementById("reshape-reason").value, feature: feature() }),
        headers: { "Content-Type": "application/json", "X-CSRF-Token": el.dataset.csrf, "If-Match": `"${rec.properties.version}"` } });
      const v = await r.json();
      if (r.status === 412) { document.getElementById("edit-error").textContent = "他人已先修改了这条记录：您的几何没有保存，请重新打开后再修改"; return; }
      if (!r.ok) { document.getElementById("edit-error").textContent = v.error; return; }
      done();
      const table = TABLE[rec.properties.layer];
      if (table) await reload(table);
      show(rec.id);
    });
  }

  // The naming rules' answer for a street name as it is typed (the latest answer wins).
  let verdictSeq = 0;
  async function verdicts(value, kind = "street") {
    const mine = ++verdictSeq;
    const v = await (await fetch(`/api/names/check?kind=${kind}&name=${encodeURIComponent(value)}`)).json();
    if (mine !== verdictSeq) return;
    const out = document.getElementById("name-verdicts");
    if (!out) return;
    out.innerHTML = (v.verdicts || []).map((x) => `<p class="verdict ${esc(x.severity)}" data-rule="${esc(x.rule)}">${x.severity === "error" ? "不符合命名规则" : "提示"}（${esc(x.rule_label)}）：${esc(x.explanation)}</p>`).join("")
      + (v.romanization ? `<p>拼写：${esc(v.romanization.standard)}</p>` : "");
  }

  // Splitting a street where part of it takes another name: click the point on the line; the
  // record keeps the part before it, the rest becomes a new street with its own proposed name
  // (checked by the naming rules as it is typed); both in one changeset.
  let splitting = null;
  function startSplit(rec) {
    splitting = rec;
    map.getCanvas().style.cursor = "crosshair";
    document.getElementById("panel").innerHTML = `<p id="split-hint">在“${esc(rec.properties.name)}”上点击分割点。</p>`;
  }
  // The lines of a line geometry, and the point of them nearest `point` (pixels) with where.
  function nearestOnLine(g, point) {
    const lines = g.type === "LineString" ? [g.coordinates] : g.coordinates;
    let best = null;
    lines.forEach((line, l) => {
      for (let i = 1; i < line.length; i++) {
        const a = line[i - 1], b = line[i], pa = map.project(a), pb = map.project(b);
        const dx = pb.x - pa.x, dy = pb.y - pa.y, len = dx * dx + dy * dy;
        if (!len) continue;
        const t = Math.max(0, Math.min(1, ((point.x - pa.x) * dx + (point.y - pa.y) * dy) / len));
        const d = Math.hypot(pa.x + t * dx - point.x, pa.y + t * dy - point.y);
        if (!best || d < best.d) best = { d, l, i, t, at: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])] };
      }
    });
    return best;
  }
  function split(rec, e) {
    const hit = nearestOnLine(rec.geometry, e.point);
    if (!hit || hit.d > SNAP_PX) { document.getElementById("split-hint").textContent = "请点在这条街路巷的中心线上。"; return; }
    splitting = null;
    map.getCanvas().style.cursor = "";
    const lines = rec.geometry.type === "LineString" ? [rec.geometry.coordinates] : rec.geometry.coordinates;
    const line = lines[hit.l];
    const before = lines.slice(0, hit.l).concat([line.slice(0, hit.i).concat([hit.at])]);
    const after = [[hit.at].concat(line.slice(hit.i))].concat(lines.slice(hit.l + 1));
    if (before[before.length - 1].length < 2 || hit.t === 0 && hit.i === 1 || hit.t === 1 && hit.i === line.length - 1) {
      document.getElementById("panel").innerHTML = `<p class="error">分割点不能在街路巷的端点上。</p>`; return;
    }
    const geometry = (parts) => (parts.length === 1 ? { type: "LineString", coordinates: parts[0] } : { type: "MultiLineString", coordinates: parts });
    map.getSource("handles").setData({ type: "FeatureCollection", features: [
      { type: "Feature", geometry: geometry(after), properties: {} },
      { type: "Feature", geometry: { type: "Point", coordinates: hit.at }, properties: {} },
    ] });
    const panel = document.getElementById("panel");
    panel.innerHTML = `<h3>分割：${esc(rec.properties.name)}</h3><p>原记录保留分割点之前的一段；之后的一段（橙色）成为新的街路巷。</p>`
      + `<label>新街路巷的名称 <input id="split-name"></label><div id="name-verdicts"></div>`
      + `<label>变更原因 <input id="split-reason" value="街路巷分段命名"></label> <button id="check-split">检查</button> <button id="save-split">保存</button> <button id="cancel-split">放弃</button>`
      + `<p id="check-result"></p><p class="error" id="save-error"></p>`;
    const name = document.getElementById("split-name");
    name.addEventListener("input", () => verdicts(name.value));
    const writes = () => {
      const rest = Object.assign(editable(rec.properties), { name: name.value, naming: { status: "proposed" } });
      for (const k of ["name_mn", "romanization"]) delete rest[k];
      return [
        { op: "update", id: rec.id, if_match: rec.properties.version, feature: { type: "Feature", geometry: geometry(before), properties: editable(rec.properties) } },
        { op: "create", layer: "streets", feature: { type: "Feature", geometry: geometry(after), properties: rest } },
      ];
    };
    const clear = () => map.getSource("handles").setData({ type: "FeatureCollection", features: [] });
    document.getElementById("check-split").addEventListener("click", () => check(writes(), document.getElementById("check-result")));
    document.getElementById("cancel-split").addEventListener("click", () => { clear(); show(rec.id); });
    document.getElementById("save-split").addEventListener("click", async () => {
      const r = await fetch("/api/changesets", { method: "POST",
        body: JSON.stringify({ reason: document.getElementById("split-reason").value, writes: writes() }),
        headers: { "Content-Type": "application/json", "X-CSRF-Token": el.dataset.csrf } });
      const v = await r.json();
      if (!r.ok) { document.getElementById("save-error").textContent = v.error; return; }
      clear();
      await reload("streets");
      show(v.records[1].id);
    });
  }

  // Infill: a new entrance gets the next free 附号 (or a reserved number) of the nearest
  // street; the officer sees it and writes it.
  let adding = false;
  const addButton = document.getElementById("add-plate");
  if (addButton) addButton.addEventListener("click", () => {
    adding = true;
    map.getCanvas().style.cursor = "crosshair";
    document.getElementById("panel").innerHTML = "<p id=\"add-hint\">请在地图上点选新门牌的入口位置。</p>";
  });

  async function propose(lngLat) {
    adding = false;
    map.getCanvas().style.cursor = "";
    const panel = document.getElementById("panel");
    const at = `lon=${lngLat.lng}&lat=${lngLat.lat}`;
    const near = await (await fetch(`/api/reverse?${at}`)).json();
    if (!near.street) { panel.innerHTML = `<p class="error">${esc(near.error || "附近没有街路巷")}</p>`; return; }
    const s = await (await fetch(`/api/numbering/suggest?street=${near.street.id}&${at}`)).json();
    if (s.error) { panel.innerHTML = `<p class="error">${esc(s.error)}</p>`; return; }
    panel.innerHTML = `<h3>新增门牌</h3><p id="suggested">${esc(near.street.name)} <strong>${esc(s.number)}</strong></p>`
      + `<label>变更原因 <input id="plate-reason" value="新增门牌（插号）"></label> <button id="accept-plate">写入登记簿</button>`;
    document.getElementById("accept-plate").addEventListener("click", async () => {
      const body = { reason: document.getElementById("plate-reason").value, feature: {
        type: "Feature", geometry: { type: "Point", coordinates: [lngLat.lng, lngLat.lat] },
        properties: { street: near.street.id, number: s.number } } };
      const r = await fetch("/api/layers/door_plates/items", { method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "X-CSRF-Token": el.dataset.csrf } });
      const v = await r.json();
      if (!r.ok) { panel.insertAdjacentHTML("beforeend", `<p class="error">${esc(v.error)}</p>`); return; }
      await reload("door_plates");
      show(v.id);
    });
  }

  // Drawing a new feature of a layer the officer may write: a point is one click, a line its
  // vertices, an area its corners (closed when finished); a vertex near an existing feature's
  // vertex takes it, near its line the nearest point of the line. Then the layer's form (from
  // its schema), the check with the registry's rules, and the save as a changeset.
  let drawing = null;
  const drawLayer = document.getElementById("draw-layer");
  const drawShape = document.getElementById("draw-shape");
  const drawButton = document.getElementById("draw-start");
  const finishButton = document.getElementById("draw-finish");
  const SHAPES = { Point: "点", LineString: "线", Polygon: "面" };
  function draftData() {
    const coords = (drawing && drawing.coords) || [];
    const closed = drawing && drawing.shape === "Polygon" && coords.length > 2 ? [...coords, coords[0]] : coords;
    return { type: "FeatureCollection", features: [
      ...(closed.length > 1 ? [{ type: "Feature", geometry: { type: "LineString", coordinates: closed }, properties: {} }] : []),
      ...coords.map((c) => ({ type: "Feature", geometry: { type: "Point", coordinates: c }, properties: {} })),
    ] };
  }
  const clearDraft = () => { if (map.getSource("draft")) map.getSource("draft").setData({ type: "FeatureCollection", features: [] }); };
  // What a new vertex of a line or an area snaps to: the features of the layer drawn and the
  // streets. A point (a door plate at its entrance, a sign, a grave) stays where it is clicked.
  const snap = (e) => drawing.shape === "Point" ? [e.lngLat.lng, e.lngLat.lat] : snapTarget(e.point, e.lngLat, null,
    CLICK_ORDER.filter((id) => id.startsWith(drawing.table + "-") || id.startsWith("streets-")));
  if (drawButton) {
    map.on("load", () => {
      map.addSource("draft", { type: "geojson", data: draftData() });
      map.addLayer({ id: "draft-line", type: "line", source: "draft", paint: { "line-color": "#d35400", "line-width": 4, "line-dasharray": [2, 1] } });
      map.addLayer({ id: "draft-point", type: "circle", source: "draft", paint: { "circle-color": "#d35400", "circle-radius": 5 } });
    });
    // A layer whose features may be points, lines or areas (places) asks which.
    const shapes = async () => {
      const schema = await schemaOf(drawLayer.value);
      drawShape.hidden = !schema || schema["x-geometry"] !== "Any";
    };
    drawLayer.addEventListener("change", shapes);
    shapes();
    drawButton.addEventListener("click", async () => {
      const schema = await schemaOf(drawLayer.value);
      if (!schema) return;
      const shape = schema["x-geometry"] === "Any" ? drawShape.value : schema["x-geometry"];
      drawing = { table: drawLayer.value, schema, shape, coords: [] };
      clearDraft();
      finishButton.hidden = shape === "Point";
      map.getCanvas().style.cursor = "crosshair";
      map.doubleClickZoom.disable();
      const how = shape === "Point" ? "在地图上点击其位置" : shape === "LineString" ? "依次点击线的各点，然后点“完成”" : "依次点击面的各角点，然后点“完成”（自动闭合）";
      document.getElementById("panel").innerHTML = `<p id="draw-hint">绘制${esc(schema.title)}（${SHAPES[shape]}）：${how}。靠近已有要素的节点或边线时自动吸附。</p>`;
    });
    finishButton.addEventListener("click", () => finishDrawing());
  }
  function finishDrawing() {
    const d = drawing;
    drawing = null;
    finishButton.hidden = true;
    map.getCanvas().style.cursor = "";
    map.doubleClickZoom.enable();
    const least = { Point: 1, LineString: 2, Polygon: 3 }[d.shape];
    if (d.coords.length < least) {
      document.getElementById("panel").innerHTML = `<p class="error">${d.shape === "LineString" ? "线至少要有两个点" : "面至少要有三个角点"}</p>`;
      clearDraft();
      return;
    }
    const geometry = d.shape === "Point" ? { type: "Point", coordinates: d.coords[0] }
      : d.shape === "LineString" ? { type: "LineString", coordinates: d.coords }
      : { type: "Polygon", coordinates: [[...d.coords, d.coords[0]]] };
    newForm(d.table, d.schema, geometry);
  }
  function newForm(table, schema, geometry) {
    const panel = document.getElementById("panel");
    const start = JSON.parse(JSON.stringify(schema["x-create"] || {}));
    const named = "name" in schema.properties && table !== "signs";
    panel.innerHTML = `<h3 id="new-title">新${esc(schema.title)}</h3><table id="new-form">${formRows(schema, start)}</table>`
      + (named ? `<div id="name-verdicts"></div>` : "")
      + `<label>变更原因 <input id="new-reason" value="新增${esc(schema.title)}"></label> <button id="check-new">检查</button> <button id="save-new">保存</button> <button id="cancel-new">放弃</button>`
      + `<p id="check-result"></p><p class="error" id="save-error"></p>`;
    if (named) {
      const kind = { streets: "street", places: "place", admin_units: "unit" }[table];
      const name = panel.querySelector('[data-field="name"]');
      if (kind) name.addEventListener("input", () => verdicts(name.value, kind));
    }
    const feature = () => {
      const properties = {};
      for (const i of panel.querySelectorAll("[data-field]")) {
        const v = valueOf(i, schema);
        if (v === "" || (Array.isArray(v) && !v.length)) continue;
        setPath(properties, i.dataset.field, v);
      }
      return { type: "Feature", geometry, properties };
    };
    document.getElementById("cancel-new").addEventListener("click", () => { clearDraft(); panel.innerHTML = ""; });
    document.getElementById("check-new").addEventListener("click", () =>
      check([{ op: "create", layer: table, feature: feature() }], document.getElementById("check-result")));
    document.getElementById("save-new").addEventListener("click", async () => {
      const body = { reason: document.getElementById("new-reason").value, feature: feature() };
      const r = await fetch(`/api/layers/${table}/items`, { method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "X-CSRF-Token": el.dataset.csrf } });
      const v = await r.json();
      if (!r.ok) { document.getElementById("save-error").textContent = (v.field ? `${v.field}：` : "") + v.error; return; }
      clearDraft();
      await reload(table);
      show(v.id);
    });
    fillReferences(panel, schema, geometry);
  }

  map.on("click", (e) => {
    if (reshaping) return;
    if (splitting) { split(splitting, e); return; }
    if (drawing) {
      drawing.coords.push(snap(e));
      map.getSource("draft").setData(draftData());
      if (drawing.shape === "Point") finishDrawing();
      return;
    }
    if (adding) { propose(e.lngLat); return; }
    const present = CLICK_ORDER.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, "visibility") !== "none");
    const box = [[e.point.x - 4, e.point.y - 4], [e.point.x + 4, e.point.y + 4]];
    for (const id of present) {
      const hit = map.queryRenderedFeatures(box, { layers: [id] })[0];
      if (hit && id.startsWith("retired-")) { showRetired(hit.properties); return; }
      // GeoJSON features carry their record id as rid, tiles as id.
      if (hit) { show(hit.properties.rid || hit.properties.id); return; }
    }
  });
  for (const id of CLICK_ORDER) {
    map.on("mouseenter", id, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", id, () => { map.getCanvas().style.cursor = ""; });
  }

  // The map "as of" a date: every layer as it was in the world that day (from the history).
  async function reloadAsOf(date) {
    for (const l of layers) if (map.getSource(l.layer)) await reload(l.layer, date);
    document.getElementById("map").dataset.asOf = date || "";
    map.once("idle", () => { window.dimingReady = true; });
  }

  const asOf = document.getElementById("as-of");
  if (asOf) {
    asOf.addEventListener("change", () => { window.dimingReady = false; reloadAsOf(asOf.value); });
    document.getElementById("as-of-clear").addEventListener("click", () => { asOf.value = ""; window.dimingReady = false; reloadAsOf(""); });
  }

  // Retired records, hidden unless asked for: grey, dashed, under a switch of their own.
  const retiredSwitch = document.getElementById("show-retired");
  async function showRetiredLayer(on) {
    if (!map.getSource("retired")) {
      map.addSource("retired", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
      map.addLayer({ id: "retired-fill", type: "fill", source: "retired", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#9e9e9e", "fill-opacity": 0.2 } });
      map.addLayer({ id: "retired-line", type: "line", source: "retired", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#757575", "line-width": 2, "line-dasharray": [1, 1.5] } });
      map.addLayer({ id: "retired-circle", type: "circle", source: "retired", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 5, "circle-color": "#bdbdbd", "circle-stroke-color": "#616161", "circle-stroke-width": 1 } });
    }
    const features = [];
    if (on) {
      const all = await Promise.all(layers.map((l) => fetch(`/api/layers/${l.layer}?retired=true`).then((r) => r.json())));
      all.forEach((fc, i) => (fc.features || []).forEach((f) => {
        f.properties = { rid: f.id, layer_label: layers[i].label, title: f.properties.name || f.properties.number || f.properties.code || "", since: f.properties.valid_from };
        features.push(f);
      }));
    }
    map.getSource("retired").setData({ type: "FeatureCollection", features });
    document.getElementById("map").dataset.retired = String(features.length);
  }
  if (retiredSwitch) retiredSwitch.addEventListener("change", () => showRetiredLayer(retiredSwitch.checked));
  function showRetired(p) {
    document.getElementById("panel").innerHTML = `<h3 id="feature-title">已注销：${esc(p.title)}</h3><p class="meta">${esc(p.layer_label)}，自 ${esc(p.since)} 起注销</p>`
      + `<p><a id="record-link" href="/records/${esc(p.rid)}">查看完整历史</a></p>`;
  }

  // Drawing, adding a plate, reshaping or splitting given up (Esc): nothing is written.
  function cancel() {
    adding = false;
    if (drawing) {
      drawing = null;
      clearDraft();
      if (finishButton) finishButton.hidden = true;
      map.doubleClickZoom.enable();
      document.getElementById("panel").innerHTML = "";
    }
    map.getCanvas().style.cursor = "";
    for (const id of ["cancel-reshape", "cancel-split", "cancel-new"]) {
      const b = document.getElementById(id);
      if (b) { b.click(); return; }
    }
  }
  // What the editor's tables and keyboard (map_table.js) work with.
  window.dimingEditor = {
    map, layers, esc, show, reload, save, cancel,
    canWrite: (layer) => writable.includes(layer),
    shown: () => shown,
    select: (geometry) => map.getSource("selected")?.setData({ type: "FeatureCollection",
      features: geometry ? [{ type: "Feature", geometry, properties: {} }] : [] }),
  };

  map.on("load", () => { loadLayers().catch((err) => {
    document.getElementById("panel").innerHTML = `<p class="error">图层读取失败：${esc(err)}</p>`;
  }); });
})();
