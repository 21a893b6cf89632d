// Small SVG charts built node by node (no library, no HTML parsing).

const SVG = "http://www.w3.org/2000/svg";

export function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

// Horizontal bars out of 10, one per row: {label, value}.
export function barChart(container, rows, label = "Section averages out of 10") {
  container.replaceChildren();
  if (!rows.length) { container.textContent = "No answered questions."; return; }
  const rowH = 28, labelW = 170, width = 520;
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${rows.length * rowH + 10}`, role: "img", "aria-label": label });
  rows.forEach((r, i) => {
    const y = i * rowH + 5;
    const text = svgEl("text", { x: 0, y: y + 17, class: "chart-label" });
    text.textContent = r.label;
    const w = Math.max(2, ((width - labelW - 50) * r.value) / 10);
    const bar = svgEl("rect", { x: labelW, y, width: w, height: rowH - 8, rx: 4, class: r.value >= 8 ? "bar good" : r.value >= 4 ? "bar mid" : "bar low" });
    const value = svgEl("text", { x: labelW + w + 6, y: y + 17, class: "chart-value" });
    value.textContent = `${r.value}`;
    svg.append(text, bar, value);
  });
  container.appendChild(svg);
}

// Scores over time: points {label, value}, oldest first.
export function lineChart(container, points, label = "Overall score per session over time") {
  container.replaceChildren();
  if (points.length < 2) return;
  const w = 520, h = 120, pad = 20;
  const x = (i) => pad + (i * (w - 2 * pad)) / (points.length - 1);
  const y = (v) => h - pad - (v * (h - 2 * pad)) / 10;
  const svg = svgEl("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": label });
  svg.appendChild(svgEl("polyline", { points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), class: "line" }));
  points.forEach((p, i) => svg.appendChild(svgEl("circle", { cx: x(i), cy: y(p.value), r: 4, class: "dot" })));
  container.appendChild(svg);
}
