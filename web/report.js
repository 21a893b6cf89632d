// The interview report: built from a `summary` frame (docs/protocol.md), or from a past session in the history.
import { $, fillList, show } from "/static/dom.js";
import { barChart } from "/static/charts.js";

const report = { markdown: "", filename: "mock-interview-report.md" };

export function showReport(m) {
  const s = m.summary;
  report.markdown = m.markdown;
  report.filename = m.filename || "mock-interview-report.md";
  $("overall").textContent = s.overall === null ? "–" : `${s.overall}/10`;
  $("level-reached").textContent = `level reached: ${s.level_reached}`;
  const tbody = $("report-table").querySelector("tbody");
  tbody.replaceChildren();
  for (const q of s.questions) {
    const tr = document.createElement("tr");
    for (const value of [q.number, q.title, q.kind.replace("_", "-"), q.skipped ? "skipped" : q.score, q.hints]) {
      const td = document.createElement("td");
      td.textContent = String(value);
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
  barChart($("section-chart"), s.sections.map((x) => ({ label: x.title, value: x.average })));
  fillList($("strongest"), s.strongest_points, "—");
  fillList($("weakest"), s.weakest_points, "—");
  fillList($("revisit"), s.revisit.map((q) => `Q${q.number}: ${q.title}${q.skipped ? " (skipped)" : ` (${q.score}/10)`}`), "Nothing to revisit.");
  const plan = $("study-plan");
  plan.replaceChildren();
  for (const step of s.study_plan) {
    const li = document.createElement("li");
    const strong = document.createElement("strong");
    strong.textContent = `${step.title} (${step.average}/10), ${step.questions}: `;
    li.append(strong, document.createTextNode(step.advice));
    plan.appendChild(li);
  }
  show("report-view");
  window.scrollTo({ top: 0, left: 0, behavior: "instant" }); // the report opens at its top
}

export function downloadReport() {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([report.markdown], { type: "text/markdown" }));
  link.download = report.filename;
  link.click();
  URL.revokeObjectURL(link.href);
}
