// One sign: the field inspection form (photos are uploaded one by one, then the inspection
// names them) and the work-order buttons. Works on a phone's browser.
(function () {
  "use strict";
  const csrf = document.querySelector("input[name=csrf]")?.value || "";
  const headers = (extra) => Object.assign({ "X-CSRF-Token": csrf }, extra || {});

  async function upload(file) {
    const r = await fetch("/api/attachments", {
      method: "POST", headers: headers({ "Content-Type": file.type || "application/octet-stream" }),
      body: file });
    const body = await r.json();
    if (!r.ok) throw new Error(`照片“${file.name}”：${body.error}`);
    return body.sha256;
  }

  const form = document.getElementById("inspect");
  if (form) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const out = document.getElementById("inspect-result");
      out.className = "";
      out.textContent = "正在提交…";
      try {
        const photos = [];
        for (const f of form.photos.files) photos.push(await upload(f));
        const condition = form.querySelector("input[name=condition]:checked")?.value;
        if (!condition) throw new Error("请选择标志状况");
        const r = await fetch(`/api/signs/${form.dataset.sign}/inspections`, {
          method: "POST",
          headers: headers({ "Content-Type": "application/json", "If-Match": `"${form.dataset.version}"` }),
          body: JSON.stringify({ condition, notes: form.notes.value, photos }) });
        const body = await r.json();
        if (!r.ok) throw new Error(body.error);
        out.textContent = "已保存巡查记录";
        setTimeout(() => location.reload(), 500);
      } catch (err) {
        out.className = "error";
        out.textContent = err.message;
      }
    });
  }

  const result = document.getElementById("order-result");
  async function change(row, patch) {
    const r = await fetch(`/api/work-orders/${row.dataset.order}`, {
      method: "PATCH",
      headers: headers({ "Content-Type": "application/json", "If-Match": `"${row.dataset.version}"` }),
      body: JSON.stringify(patch) });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error);
    location.reload();
  }
  document.querySelectorAll("#orders tr[data-order]").forEach((row) => {
    const run = (f) => async () => {
      result.className = "";
      try { await f(); } catch (err) { result.className = "error"; result.textContent = err.message; }
    };
    row.querySelector(".assign")?.addEventListener("click", run(async () => {
      const patch = { status: "assigned", assignee: row.querySelector(".assignee").value };
      const cost = row.querySelector(".cost").value.trim();
      if (cost) patch.cost_fen = Math.round(parseFloat(cost) * 100);
      await change(row, patch);
    }));
    row.querySelector(".finish")?.addEventListener("click", run(async () => {
      const file = row.querySelector(".done-photo").files[0];
      if (!file) throw new Error("完工须附完工照片");
      await change(row, { status: "done", done_photo: await upload(file) });
    }));
    row.querySelector(".cancel")?.addEventListener("click", run(() => change(row, { status: "cancelled" })));
  });
  const order = document.getElementById("new-order");
  if (order) {
    order.addEventListener("submit", async (e) => {
      e.preventDefault();
      const input = { sign: order.dataset.sign, kind: order.kind.value, reason: order.reason.value };
      const cost = order.cost.value.trim();
      if (cost) input.cost_fen = Math.round(parseFloat(cost) * 100);
      const r = await fetch("/api/work-orders", {
        method: "POST", headers: headers({ "Content-Type": "application/json" }),
        body: JSON.stringify(input) });
      const body = await r.json();
      if (r.ok) location.reload();
      else { result.className = "error"; result.textContent = body.error; }
    });
  }
})();
