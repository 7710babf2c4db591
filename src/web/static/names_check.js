// The name check page: a proposed name checked against the naming rules as it is typed.
"use strict";

(function () {
  document.getElementById("check").addEventListener("submit", (ev) => ev.preventDefault());
  const form = { name: document.getElementById('name'), kind: document.getElementById('kind'), category: document.getElementById('category') };
  const verdicts = document.getElementById('verdicts');
  const roman = document.getElementById('romanization');
  let timer = null;
  function show(data) {
    verdicts.replaceChildren();
    roman.textContent = data.romanization ? '拼写：' + data.romanization.standard + '　标志：' + data.romanization.sign : '';
    if (data.verdicts.length === 0) {
      const li = document.createElement('li');
      li.className = 'ok';
      li.textContent = '符合命名规则';
      verdicts.append(li);
    }
    for (const v of data.verdicts) {
      const li = document.createElement('li');
      li.className = v.severity;
      li.dataset.rule = v.rule;
      li.textContent = (v.severity === 'error' ? '不符合命名规则' : '提示') + '（' + v.rule_label + '）：' + v.explanation
        + (v.severity === 'error' ? '（可作为拟命名登记；不更正则须凭批准文件才能批准）' : '');
      verdicts.append(li);
    }
  }
  async function check() {
    const name = form.name.value.trim();
    if (!name) { verdicts.replaceChildren(); roman.textContent = ''; return; }
    const q = new URLSearchParams({ name, kind: form.kind.value, category: form.category.value });
    const response = await fetch('/api/names/check?' + q);
    if (response.ok) show(await response.json());
  }
  for (const el of Object.values(form)) el.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 150); });
  check();
})();
