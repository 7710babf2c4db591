// The registration form: the chosen plot's place in its section, drawn by the registry as
// the clerk types or picks the number.
(() => {
  const input = document.getElementById('plot-number');
  const figure = document.getElementById('plot-plan');
  if (!input || !figure) return;
  let shown = '';
  const show = async () => {
    const number = input.value.trim();
    if (number === shown) return;
    shown = number;
    if (!/^[^-\s]+-\d+-\d+$/.test(number)) { figure.hidden = true; return; }
    const r = await fetch('/cemetery/plots/plan?number=' + encodeURIComponent(number));
    if (!r.ok || number !== shown) { figure.hidden = true; return; }
    figure.querySelector('div').innerHTML = await r.text();
    figure.hidden = false;
  };
  input.addEventListener('change', show);
  input.addEventListener('input', show);
  show();
})();
