// Filters of the arc-eval report: status, split and a task id search. Cards carry
// data-status, data-split and data-id; buttons in [data-filter=NAME] set that filter.
(() => {
  const cards = Array.from(document.querySelectorAll("main .card"));
  const state = { status: "", split: "", q: "" };
  const shown = document.getElementById("shown");
  const statusButtons = document.querySelectorAll('[data-filter="status"] button');

  function apply() {
    const counts = { "": 0 };
    let visible = 0;
    for (const card of cards) {
      const d = card.dataset;
      const base = (!state.split || d.split === state.split) && (!state.q || d.id.toLowerCase().includes(state.q));
      if (base) {
        counts[""] += 1;
        counts[d.status] = (counts[d.status] || 0) + 1;
      }
      const show = base && (!state.status || d.status === state.status);
      card.hidden = !show;
      visible += show;
    }
    // The counts follow the split and search filters, so each button says what it would show.
    for (const button of statusButtons) {
      button.querySelector(".n").textContent = counts[button.dataset.value] || 0;
    }
    shown.textContent = `${visible} of ${cards.length} tasks shown`;
  }

  for (const button of document.querySelectorAll("[data-filter] button")) {
    button.addEventListener("click", () => {
      const group = button.parentElement;
      for (const other of group.querySelectorAll("button")) other.classList.toggle("on", other === button);
      state[group.dataset.filter] = button.dataset.value;
      apply();
    });
  }
  document.getElementById("search").addEventListener("input", (event) => {
    state.q = event.target.value.trim().toLowerCase();
    apply();
  });
  apply();
})();
