// Small DOM helpers shared by the page's modules. Text always goes in through textContent.

export const $ = (id) => document.getElementById(id);

export const SECTION_TITLES = {
  fundamentals: "ML fundamentals", algorithms: "Algorithms", deep_learning: "Deep learning",
  system_design: "System design", statistics: "Statistics & math", coding: "Coding",
};

export function note(text) {
  const div = document.createElement("div");
  div.className = "note";
  div.textContent = text;
  return div;
}

// A list of strings; an empty list shows `empty` in a neutral style (li.empty).
export function fillList(list, items, empty) {
  list.replaceChildren();
  for (const item of items.length ? items : (empty ? [empty] : [])) {
    const li = document.createElement("li");
    li.textContent = item;
    if (!items.length) li.className = "empty";
    list.appendChild(li);
  }
}

export function show(id) {
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== id;
}

// "4 min 05 s" from seconds; "" when unknown.
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m ? `${m} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
}
