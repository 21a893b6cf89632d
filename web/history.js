// This browser's past sessions (GET /api/history/<browser id>): a list and a chart of overall scores.
import { $, SECTION_TITLES } from "/static/dom.js";
import { lineChart } from "/static/charts.js";

export async function loadHistory(browserId) {
  try {
    const response = await fetch(`/api/history/${encodeURIComponent(browserId)}`);
    if (!response.ok) return;
    const sessions = await response.json();
    const list = $("history-list");
    list.replaceChildren();
    $("history-empty").hidden = sessions.length > 0;
    for (const s of sessions) {
      const li = document.createElement("li");
      const when = new Date(s.created_at * 1000).toLocaleString();
      const score = s.overall === null ? "no answers" : `${s.overall}/10`;
      const sections = s.sections.map((x) => SECTION_TITLES[x] || x).join(", ");
      li.textContent = `${when} · ${score} · ${s.answered} question(s)${sections ? ` · ${sections}` : ""}${s.finished ? "" : " · unfinished"}`;
      list.appendChild(li);
    }
    const scored = sessions.filter((s) => s.overall !== null).reverse();
    lineChart($("history-chart"), scored.map((s) => ({ label: new Date(s.created_at * 1000).toLocaleDateString(), value: s.overall })));
  } catch { /* history is a nicety: the interview works without it */ }
}
