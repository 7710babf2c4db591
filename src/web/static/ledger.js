// The burial ledger page: the file is checked (a dry run) or imported by the registry, all or
// nothing; the answer lists every refused row by line and column.
(() => {
  const form = document.getElementById("ledger-form");
  if (!form) return;
  const report = document.getElementById("ledger-report");
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const send = async (dryRun) => {
    const file = form.elements.file.files[0];
    if (!file) { report.innerHTML = '<p class="error">请选择台账文件</p>'; return; }
    report.innerHTML = "<p>处理中…</p>";
    const r = await fetch(`/cemetery/ledger?name=${encodeURIComponent(file.name)}&dry_run=${dryRun ? 1 : 0}`, {
      method: "POST",
      headers: { "X-CSRF-Token": form.elements.csrf.value, "Content-Type": "application/octet-stream" },
      body: file,
    });
    const a = await r.json();
    if (!r.ok) { report.innerHTML = `<p class="error" id="ledger-error">${esc(a.error)}</p>`; return; }
    let html;
    if (a.refused.length) {
      html = `<p class="error" id="ledger-outcome">共 ${a.rows} 行，${new Set(a.refused.map((x) => x.line)).size} 行有问题，整个台账未导入：</p><table id="ledger-refused"><tr><th>行</th><th>列</th><th>问题</th></tr>`;
      for (const x of a.refused) html += `<tr><td>${x.line}</td><td>${esc(x.column)}</td><td>${esc(x.message)}</td></tr>`;
      html += "</table>";
    } else if (a.changeset) {
      html = `<p class="check-ok" id="ledger-outcome">已导入 ${a.rows} 条殡葬登记。<a href="/cemetery/burials">查看殡葬登记</a></p>`;
    } else {
      html = `<p class="check-ok" id="ledger-outcome">检查通过：${a.rows} 条均可导入（尚未写入）。</p>`;
    }
    report.innerHTML = html;
  };
  document.getElementById("ledger-check").addEventListener("click", () => send(true));
  document.getElementById("ledger-import").addEventListener("click", () => send(false));
})();
