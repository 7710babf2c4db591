// The import page: a file uploaded to the import API, checked (dry run) or written, and the
// report shown row by row.
"use strict";
(function () {
  const form = document.getElementById("import");
  const csrf = document.querySelector('meta[name="csrf"]')?.content || "";
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const showColumns = () => {
    const opt = form.layer.selectedOptions[0];
    document.getElementById("columns").textContent = "可用字段：id、version、valid_from、" + opt.dataset.columns;
  };
  form.layer.addEventListener("change", showColumns);
  showColumns();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const dry = ev.submitter && ev.submitter.name === "dry";
    const file = form.file.files[0];
    const q = new URLSearchParams({ filename: file.name, dry_run: dry ? "true" : "false" });
    for (const k of ["crs", "encoding", "map", "reason", "doc_issuer", "doc_number", "doc_date"]) if (form[k].value) q.set(k, form[k].value);
    const out = document.getElementById("report");
    // One import at a time: a second click while a large file is written would import it twice.
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    out.innerHTML = `<p id="import-busy">${dry ? "上传与核对中" : "上传、核对与写入中"}：${esc(file.name)}（${(file.size / 1048576).toFixed(1)} MiB）…</p>`;
    let rep;
    try {
      const r = await fetch(`/api/layers/${form.layer.value}/import?${q}`, {
        method: "POST", body: file, headers: { "X-CSRF-Token": csrf, "Content-Type": "application/octet-stream" },
      });
      const text = await r.text();
      try { rep = JSON.parse(text); } catch (_) { rep = { error: `服务器答复 ${r.status}：${text.slice(0, 200)}` }; }
    } catch (e) {
      rep = { error: `与服务器的连接中断（${e.message}）：导入是否已写入，请在变更集列表中查看后再重试` };
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
    if (rep.error) { out.innerHTML = `<p class="error" id="import-error">${esc(rep.error)}</p>`; return; }
    let html = `<h3 id="import-summary">读入 ${rep.read} 个要素（${esc(rep.format)}，坐标系 ${esc(rep.crs)}）：新建 ${rep.created}，修改 ${rep.updated}，未变 ${rep.unchanged}，拒绝 ${rep.refused.length}</h3>`;
    if (rep.refused.length) {
      html += "<p class=\"error\">有要素被拒绝，整个文件都没有写入。</p><table id=\"refused\"><tr><th>要素</th><th>原因</th></tr>";
      for (const x of rep.refused) html += `<tr><td class="n">${x.row}</td><td>${esc(x.reason)}</td></tr>`;
      html += "</table>";
    } else if (rep.changeset) {
      html += `<p id="written">已写入变更集 ${esc(rep.changeset)}</p>`;
    } else {
      html += `<p>${rep.dry_run ? "核对完毕，没有写入。" : "没有需要写入的变化。"}</p>`;
    }
    if (rep.ignored_columns.length) html += `<p>未使用的字段：${esc(rep.ignored_columns.join("、"))}</p>`;
    out.innerHTML = html;
  });
})();
