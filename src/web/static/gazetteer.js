// The gazetteer page: starts a build and follows its progress until the edition is kept.
"use strict";

(function () {
  const form = document.getElementById("build");
  if (!form) return;
  const steps = { gathering: 1, typesetting: 2, saving: 3, done: 4, failed: 4 };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { paper: f.get("paper") || "16k" };
    if (f.get("unit")) body.unit = f.get("unit");
    if (f.get("as_of")) body.as_of = f.get("as_of");
    if (f.get("categories")) body.categories = f.get("categories").split(/[,，]/).map((s) => s.trim()).filter(Boolean);
    const progress = document.getElementById("progress");
    const step = document.getElementById("step");
    const bar = document.getElementById("bar");
    progress.hidden = false;
    step.textContent = "已提交";
    const r = await fetch("/api/gazetteer/editions", {
      method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": f.get("csrf") || "" },
      body: JSON.stringify(body),
    });
    const started = await r.json();
    if (!r.ok) { step.textContent = started.error || "失败"; step.className = "failed"; return; }
    for (;;) {
      await new Promise((ok) => setTimeout(ok, 500));
      const job = await (await fetch(started.href)).json();
      bar.value = steps[job.state] || 0;
      step.textContent = job.label;
      if (job.state === "failed") { step.className = "failed"; return; }
      if (job.state === "done") {
        step.innerHTML = `完成：${job.entries} 条，<a id="new-edition" href="${job.href}">下载 PDF</a>` +
          (job.nonstandard ? `；<a id="nonstandard" href="/names/audit">待规范地名 ${job.nonstandard} 条</a>不作条目` : "");
        setTimeout(() => location.reload(), job.nonstandard ? 6000 : 1500);
        return;
      }
    }
  });
})();
