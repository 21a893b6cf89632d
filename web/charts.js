// Small SVG charts built node by node (no library, no HTML parsing).
// Each chart's viewBox is as wide as its container in CSS pixels, so the SVG is drawn at scale 1 and its text keeps
// the size the stylesheet gives it (13px) on a phone as on a desktop; a chart is redrawn when its container resizes
// (including when a hidden view is shown and the container gets a width for the first time).

const SVG = "http://www.w3.org/2000/svg";
const FALLBACK_WIDTH = 520; // a container not laid out yet (a hidden view): redrawn once it has a width
const FONT = 13; // px, as .chart text in report.css
const CHAR = 7.5; // px: a generous average width of a character at 13px, to space labels

export function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function text(x, y, content, attrs = {}) {
  const node = svgEl("text", { x, y, ...attrs });
  node.textContent = content;
  return node;
}

const draws = new WeakMap(); // container -> { draw, width }: the newest drawing and the width it was drawn at

function redraw(container) {
  const current = draws.get(container);
  if (!current) return;
  const width = Math.floor(container.clientWidth);
  if (!width && current.width) return; // hidden again: keep the last drawing
  const w = width || FALLBACK_WIDTH;
  if (w === current.width) return;
  current.width = w;
  current.draw(w);
}

// Calls draw(width) now and again whenever the container's width changes; a later call replaces the drawing.
function responsive(container, draw) {
  draws.set(container, { draw, width: null });
  redraw(container);
  if (!container.chartObserver && typeof ResizeObserver !== "undefined") {
    container.chartObserver = new ResizeObserver(() => redraw(container));
    container.chartObserver.observe(container);
  }
}

const band = (v) => (v >= 8 ? "bar good" : v >= 4 ? "bar mid" : "bar low");

// Horizontal bars out of 10, one per row: {label, value}. Gridlines at 0, 5 and 10.
// Narrow containers put each label above its bar instead of beside it.
export function barChart(container, rows, label = "Section averages out of 10") {
  container.replaceChildren();
  if (!rows.length) {
    draws.delete(container);
    container.textContent = "No answered questions.";
    return;
  }
  const aria = `${label}: ${rows.map((r) => `${r.label} ${r.value}`).join(", ")}.`;
  responsive(container, (width) => {
    const stacked = width < 480;
    const labelW = stacked ? 0 : Math.min(210, Math.round(width * 0.36));
    const valueW = 40;
    const left = labelW + 4, right = width - valueW;
    const rowH = stacked ? 44 : 30;
    const top = 4, axisH = 20;
    const height = top + rows.length * rowH + axisH;
    const scale = (v) => left + ((right - left) * Math.max(0, Math.min(10, v))) / 10;
    const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": aria });
    const plotBottom = top + rows.length * rowH;
    for (const tick of [0, 5, 10]) {
      const x = scale(tick);
      svg.append(
        svgEl("line", { x1: x, x2: x, y1: top, y2: plotBottom, class: tick ? "grid" : "axis" }),
        text(x, plotBottom + 15, String(tick), { class: "tick", "text-anchor": tick === 10 ? "end" : tick ? "middle" : "start" }),
      );
    }
    rows.forEach((r, i) => {
      const y = top + i * rowH;
      const barY = stacked ? y + 20 : y + 5;
      const barH = stacked ? 18 : rowH - 10;
      const value = Number(r.value) || 0;
      const w = Math.max(2, scale(value) - left);
      svg.append(
        text(stacked ? left + 8 : 0, stacked ? y + 15 : barY + barH / 2 + FONT / 2 - 2, r.label, { class: "chart-label" }),
        svgEl("rect", { x: left, y: barY, width: w, height: barH, rx: 4, class: band(value) }),
        text(left + w + 6, barY + barH / 2 + FONT / 2 - 2, `${r.value}`, { class: "chart-value" }),
      );
    });
    container.replaceChildren(svg);
  });
}

// Which of n evenly spaced labels to show so that none overlap: at most `room` of them, first and last included.
export function thinLabels(n, room) {
  if (n <= 0) return [];
  const m = Math.max(1, Math.min(n, room));
  if (m === 1) return [n - 1];
  const picked = new Set();
  for (let k = 0; k < m; k++) picked.add(Math.round((k * (n - 1)) / (m - 1)));
  return [...picked];
}

// Scores over time: points {label (a short date), value, detail?}, oldest first, left to right.
// A y axis from 0 to 10 with gridlines at 0, 5 and 10, dates under the x axis (thinned so they never overlap),
// and a title. `aria` describes the trend for screen readers (the list beside the chart is the full equivalent).
export function lineChart(container, points, { title = "Overall score per session", aria = title } = {}) {
  container.replaceChildren();
  if (!points.length) { draws.delete(container); return; }
  responsive(container, (width) => {
    const left = 30, right = 14, top = 42, bottom = 34;
    const height = 220;
    const plotW = width - left - right, plotH = height - top - bottom;
    const x = (i) => (points.length === 1 ? left + plotW / 2 : left + (i * plotW) / (points.length - 1));
    const y = (v) => top + plotH - (Math.max(0, Math.min(10, v)) * plotH) / 10;
    const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": aria });
    svg.appendChild(text(0, 16, title, { class: "chart-title" }));
    for (const tick of [0, 5, 10]) {
      svg.append(
        svgEl("line", { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: tick ? "grid" : "axis" }),
        text(left - 6, y(tick) + FONT / 2 - 2, String(tick), { class: "tick", "text-anchor": "end" }),
      );
    }
    svg.appendChild(svgEl("line", { x1: left, x2: left, y1: top, y2: top + plotH, class: "axis" }));
    // Dates: as many as fit without touching (the first and last hang inward, the others are centred), never the
    // same date twice in a row.
    const labelW = Math.max(...points.map((p) => String(p.label).length)) * CHAR + 12;
    const step = points.length > 1 ? plotW / (points.length - 1) : plotW;
    const room = Math.max(2, Math.floor(plotW / (1.5 * labelW + step)) + 1);
    let previous = null;
    for (const i of thinLabels(points.length, room)) {
      const p = points[i];
      if (p.label === previous) continue;
      previous = p.label;
      const anchor = points.length === 1 ? "middle" : i === 0 ? "start" : i === points.length - 1 ? "end" : "middle";
      svg.append(
        svgEl("line", { x1: x(i), x2: x(i), y1: top + plotH, y2: top + plotH + 4, class: "axis" }),
        text(x(i), top + plotH + 19, p.label, { class: "tick x-tick", "text-anchor": anchor }),
      );
    }
    if (points.length > 1) {
      svg.appendChild(svgEl("polyline", { points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), class: "line" }));
    }
    const valued = points.length === 1 || step >= 36; // room to print each score above its dot
    points.forEach((p, i) => {
      if (valued) {
        const anchor = points.length > 1 && i === 0 ? "start" : points.length > 1 && i === points.length - 1 ? "end" : "middle";
        svg.appendChild(text(x(i), y(p.value) - 9, String(p.value), { class: "chart-value", "text-anchor": anchor }));
      }
      const dot = svgEl("circle", { cx: x(i), cy: y(p.value), r: 4.5, class: "dot" });
      const tip = svgEl("title");
      tip.textContent = p.detail || `${p.label}: ${p.value}/10`;
      dot.appendChild(tip);
      svg.appendChild(dot);
    });
    container.replaceChildren(svg);
  });
}
