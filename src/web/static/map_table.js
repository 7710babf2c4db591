// The map editor's tables and keys (after map.js, which gives window.dimingEditor):
// - a layer's attribute table under the map (GET /api/layers/{table}/rows): filter, sort by a
//   column, page; a row takes the map to its feature and shows it;
// - a street's door plates beside the map (GET /api/streets/{id}/plates), in numbering order
//   with the numbering check's verdicts; a number is changed in place and saved as the
//   plate's next version (the registry's rules decide, a stale version is refused);
// - keyboard shortcuts for the frequent steps (? lists them).
"use strict";

(function () {
  const ed = window.dimingEditor;
  if (!ed) return;
  const { map, esc } = ed;
  const $ = (id) => document.getElementById(id);
  const PAGE = 100;
  // Columns in Mongolian script, set vertically as the script is written.
  const MONGOLIAN = new Set(["蒙古文名称", "蒙古文"]);

  // ---- The attribute table ----
  const drawer = $("table-drawer");
  const layerSelect = $("table-layer");
  const filter = $("table-filter");
  const table = { layer: "", q: "", sort: "", desc: false, offset: 0, total: 0 };
  for (const l of ed.layers) {
    const o = document.createElement("option");
    o.value = l.layer;
    o.textContent = l.label;
    layerSelect.appendChild(o);
  }

  async function loadRows() {
    const params = new URLSearchParams({ offset: table.offset, limit: PAGE });
    if (table.q) params.set("q", table.q);
    if (table.sort) params.set("sort", table.sort);
    if (table.desc) params.set("desc", "true");
    const r = await fetch(`/api/layers/${table.layer}/rows?${params}`);
    const v = await r.json();
    const head = drawer.querySelector("thead"), body = drawer.querySelector("tbody");
    if (!r.ok) { body.innerHTML = `<tr><td class="error">${esc(v.error)}</td></tr>`; return; }
    table.total = v.total;
    const arrow = (c) => (table.sort === c ? (table.desc ? " ▼" : " ▲") : "");
    // The record's title has a column of its own unless one of its attributes reads the same.
    const titled = !v.title_column;
    head.innerHTML = `<tr>${titled ? `<th data-col="">要素${arrow("")}</th>` : ""}${v.columns.map((c) => `<th data-col="${esc(c)}">${esc(c)}${arrow(c)}</th>`).join("")}</tr>`;
    body.innerHTML = v.rows.map((row) => `<tr data-id="${row.id}" data-bbox="${row.bbox ? row.bbox.join(",") : ""}">`
      + (titled ? `<td>${esc(row.title)}</td>` : "") + `${row.cells.map((c, i) => MONGOLIAN.has(v.columns[i]) && c ? `<td class="mongolian" lang="mn-Mong">${esc(c)}</td>` : `<td>${esc(c)}</td>`).join("")}</tr>`).join("")
      || `<tr><td>没有符合条件的记录</td></tr>`;
    const last = Math.min(v.offset + v.rows.length, v.total);
    $("table-count").textContent = v.total ? `共 ${v.total} 条，第 ${v.offset + 1}—${last} 条` : "共 0 条";
    $("table-prev").disabled = v.offset === 0;
    $("table-next").disabled = last >= v.total;
  }

  function openTable(open = drawer.hidden) {
    drawer.hidden = !open;
    map.resize();
    if (open) {
      if (!table.layer) table.layer = layerSelect.value;
      loadRows();
    }
  }
  $("table-open").addEventListener("click", () => openTable());
  $("table-close").addEventListener("click", () => openTable(false));
  layerSelect.addEventListener("change", () => { Object.assign(table, { layer: layerSelect.value, sort: "", desc: false, offset: 0 }); loadRows(); });
  let typing = null;
  filter.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { table.q = filter.value.trim(); table.offset = 0; loadRows(); }, 250);
  });
  $("table-prev").addEventListener("click", () => { table.offset = Math.max(0, table.offset - PAGE); loadRows(); });
  $("table-next").addEventListener("click", () => { table.offset += PAGE; loadRows(); });
  drawer.querySelector("thead").addEventListener("click", (e) => {
    const th = e.target.closest("th");
    if (!th) return;
    const col = th.dataset.col;
    table.desc = table.sort === col ? !table.desc : false;
    table.sort = col;
    table.offset = 0;
    loadRows();
  });
  // A row: the map goes to the feature, which is shown and outlined.
  drawer.querySelector("tbody").addEventListener("click", (e) => {
    const tr = e.target.closest("tr[data-id]");
    if (!tr) return;
    for (const r of drawer.querySelectorAll("tr.current")) r.classList.remove("current");
    tr.classList.add("current");
    const b = tr.dataset.bbox.split(",").map(Number);
    if (b.length === 4) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 60, maxZoom: 18, duration: 0 });
    ed.show(tr.dataset.id);
  });

  // ---- A street's door plates ----
  const panel = $("panel");
  const canEdit = ed.canWrite("door_plate");

  async function plateList(street, note = "") {
    panel.innerHTML = "<p>读取中…</p>";
    const r = await fetch(`/api/streets/${street}/plates`);
    const v = await r.json();
    if (!r.ok) { panel.innerHTML = `<p class="error">${esc(v.error)}</p>`; return; }
    const bad = v.plates.filter((p) => p.findings.length).length;
    let html = `<h3 id="plates-title">${esc(v.name)}的门牌（${v.plates.length} 块）</h3>`
      + `<p class="meta">${esc(v.rule)}；按编号顺序（距起编点的距离）列出${bad ? `，<strong class="bad">${bad} 块有问题</strong>` : "，编号检查全部通过"}。`
      + (canEdit ? "改号后按 Enter 或点“保存”，按登记簿的规则检查后写入。" : "") + `</p>`
      + `<p id="plates-note">${note}</p>`
      + `<table id="plate-table"><tr><th>门牌号</th><th>侧</th><th>距起点</th><th>按规则</th><th>种类</th><th>检查</th></tr>`;
    for (const p of v.plates) {
      const number = canEdit
        ? `<input value="${esc(p.number)}" data-plate="${p.id}" data-version="${p.version}" data-was="${esc(p.number)}" aria-label="${esc(p.number)}号的门牌号">`
        : esc(p.number);
      const verdict = p.findings.length
        ? p.findings.map((f) => `<div class="bad">${esc(f)}</div>`).join("")
        : `<span class="ok">符合</span>`;
      html += `<tr data-at="${p.at.join(",")}" data-id="${p.id}"><td>${number}</td><td>${esc(p.side || "—")}</td>`
        + `<td>${p.along_m == null ? "—" : `${p.along_m} 米`}</td><td>${esc(p.by_rule || "")}</td><td>${esc(p.kind)}</td><td class="verdict">${verdict}</td></tr>`;
    }
    html += `</table>${canEdit ? `<p><label>变更原因 <input id="plates-reason" value="门牌号更正"></label> <button id="plates-save">保存修改</button></p>` : ""}`
      + `<p><button id="plates-back">返回街路巷</button></p>`;
    panel.innerHTML = html;
    $("plates-back").addEventListener("click", () => ed.show(street));
    if (canEdit) $("plates-save").addEventListener("click", () => saveNumbers(street));
    panel.querySelector("#plate-table").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.target.dataset.plate) { e.preventDefault(); saveNumbers(street); }
    });
    // A row points its plate out on the map.
    panel.querySelector("#plate-table").addEventListener("mouseover", (e) => {
      const tr = e.target.closest("tr[data-at]");
      if (tr) ed.select({ type: "Point", coordinates: tr.dataset.at.split(",").map(Number) });
    });
  }

  // Each changed number is written as its plate's next version, from the version the list
  // showed (If-Match): a refusal stays in its row with what was typed; after the writes the
  // list is read again with the check's new verdicts.
  async function saveNumbers(street) {
    const reason = $("plates-reason").value;
    const changed = [...panel.querySelectorAll("#plate-table input[data-plate]")].filter((i) => i.value.trim() !== i.dataset.was);
    if (!changed.length) { $("plates-note").textContent = "没有修改。"; return; }
    const done = [], refused = [];
    for (const input of changed) {
      const rec = await (await fetch(`/api/records/${input.dataset.plate}`)).json();
      rec.properties.version = Number(input.dataset.version);
      const r = await ed.save(rec, { number: input.value.trim() }, reason);
      if (r.ok) { done.push(`${input.dataset.was} → ${input.value.trim()}`); continue; }
      const v = await r.json().catch(() => ({}));
      const why = r.status === 412 ? "他人已先修改了这块门牌，请刷新列表后再改" : v.error || `保存失败（${r.status}）`;
      refused.push({ input, why });
    }
    if (done.length) ed.reload("door_plates");
    if (!refused.length) { await plateList(street, `<span class="ok" id="plates-saved">已保存：${esc(done.join("，"))}</span>`); return; }
    // Refused numbers keep what was typed; the saved ones are taken as the new state.
    for (const { input, why } of refused) {
      input.classList.add("invalid");
      input.closest("tr").querySelector(".verdict").innerHTML = `<div class="bad plate-refused">${esc(why)}</div>`;
    }
    $("plates-note").innerHTML = (done.length ? `<span class="ok">已保存：${esc(done.join("，"))}</span>；` : "")
      + `<span class="bad">${refused.length} 处未保存</span>`;
    for (const i of panel.querySelectorAll("#plate-table input[data-plate]")) {
      if (!refused.some((x) => x.input === i) && i.value.trim() !== i.dataset.was) i.dataset.was = i.value.trim();
    }
  }

  panel.addEventListener("click", (e) => {
    if (e.target.id === "plate-list-open" && ed.shown()) plateList(ed.shown().id);
  });

  // ---- Keys ----
  const keys = $("keys");
  $("keys-open").addEventListener("click", () => { keys.hidden = !keys.hidden; });
  const press = (id) => { const b = $(id); if (b && !b.hidden && !b.disabled) { b.click(); return true; } return false; };
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typingIn = e.target.closest && e.target.closest("input, select, textarea");
    if (e.key === "Escape") {
      if (!keys.hidden) { keys.hidden = true; return; }
      if (typingIn) e.target.blur();
      ed.cancel();
      return;
    }
    if (typingIn) return;
    const shown = ed.shown();
    const act = {
      t: () => openTable(),
      "/": () => { openTable(true); filter.focus(); },
      e: () => press("edit-attributes"),
      l: () => { if (shown && shown.properties.layer === "street") plateList(shown.id); },
      n: () => press("add-plate"),
      d: () => press("draw-start"),
      Enter: () => press("draw-finish"),
      "?": () => { keys.hidden = !keys.hidden; },
    }[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (act) { e.preventDefault(); act(); }
  });
  window.dimingEditor.plateList = plateList;
})();
