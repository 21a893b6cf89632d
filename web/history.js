// This browser's past sessions (GET /api/history/<browser id>, newest first): a list whose entries open each
// session's full report (GET /api/history/<browser id>/<session id>), and a chart of scores over time (oldest to
// newest, left to right), overall or for one section. The list is the chart's accessible equivalent.
import { $, SECTION_TITLES } from "/static/dom.js";
import { lineChart } from "/static/charts.js";
import { showReport } from "/static/report.js";

const LIST_LIMIT = 10; // entries listed before "Show all"
const history = { browserId: null, sessions: [], showAll: false };

const num = (x) => typeof x === "number" && Number.isFinite(x);
const dateOf = (s) => new Date(s.created_at * 1000);
const longDate = (d) => d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

function el(tag, cls, content) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (content !== undefined && content !== null) node.textContent = String(content);
  return node;
}

export async function loadHistory(browserId) {
  history.browserId = browserId;
  try {
    const response = await fetch(`/api/history/${encodeURIComponent(browserId)}`);
    if (!response.ok) return;
    const sessions = await response.json();
    history.sessions = Array.isArray(sessions) ? sessions.filter((s) => s && num(s.created_at)) : [];
    history.showAll = false;
    renderList();
    renderSectionChoice();
    renderChart();
  } catch { /* history is a nicety: the interview works without it */ }
}

// ------------------------------------------------------------------------------------------------ the list

function renderList() {
  const sessions = history.sessions;
  const list = $("history-list");
  list.replaceChildren();
  $("history-empty").hidden = sessions.length > 0;
  $("history-order").hidden = sessions.length < 2;
  $("history-error").hidden = true;
  const listed = history.showAll ? sessions : sessions.slice(0, LIST_LIMIT);
  const more = $("history-more");
  more.hidden = listed.length === sessions.length;
  more.textContent = `Show all ${sessions.length} sessions`;
  for (const s of listed) {
    const li = el("li");
    const button = el("button", "history-entry");
    button.type = "button";
    const sections = (Array.isArray(s.sections) ? s.sections : []).map((x) => SECTION_TITLES[x] || x).join(", ");
    const answered = num(s.answered) ? `${s.answered} question${s.answered === 1 ? "" : "s"}` : "";
    const parts = [longDate(dateOf(s)), num(s.overall) ? `${s.overall}/10` : "no answers",
      [answered, sections, s.finished === false ? "unfinished" : ""].filter(Boolean).join(" · ")];
    button.append(el("span", "history-date", parts[0]), el("span", "history-score", parts[1]), el("span", "history-detail", parts[2]));
    if (num(s.overall)) button.dataset.band = s.overall >= 8 ? "pass" : s.overall >= 4 ? "partial" : "weak";
    button.setAttribute("aria-label", `Open the report: ${parts.filter(Boolean).join(", ")}`);
    button.addEventListener("click", () => openSession(s, button));
    li.appendChild(button);
    list.appendChild(li);
  }
}

async function openSession(s, button) {
  const error = $("history-error");
  error.hidden = true;
  button.setAttribute("aria-busy", "true");
  try {
    const url = `/api/history/${encodeURIComponent(history.browserId)}/${encodeURIComponent(s.session_id)}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(String(response.status));
    const data = await response.json();
    if (!data || !data.summary) throw new Error("no summary");
    showReport(data, { back: true, returnFocus: button });
  } catch {
    error.textContent = "That report could not be opened. Try again in a moment.";
    error.hidden = false;
  } finally {
    button.removeAttribute("aria-busy");
  }
}

// ------------------------------------------------------------------------------------------------ the chart

// The sections any session has a score for: the chart can follow one of them.
function renderSectionChoice() {
  const select = $("history-section");
  const chosen = select.value;
  const seen = new Set();
  for (const s of history.sessions) {
    for (const [section, avg] of Object.entries(s.section_averages || {})) if (num(avg)) seen.add(section);
  }
  const order = Object.keys(SECTION_TITLES);
  const rank = (x) => (order.includes(x) ? order.indexOf(x) : order.length);
  const sections = [...seen].sort((a, b) => rank(a) - rank(b));
  select.replaceChildren(new Option("All sections (overall score)", ""));
  for (const section of sections) select.appendChild(new Option(SECTION_TITLES[section] || section, section));
  select.value = sections.includes(chosen) ? chosen : "";
  select.closest("label").hidden = !sections.length || !history.sessions.some((s) => num(s.overall));
}

// Short labels for the chart's x axis: "3 Mar" (with the year when the sessions span years), or the time of day
// when every session was on the same day.
function shortDates(sessions) {
  const days = new Set(sessions.map((s) => dateOf(s).toDateString()));
  if (sessions.length > 1 && days.size === 1) {
    return sessions.map((s) => dateOf(s).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }));
  }
  const years = new Set(sessions.map((s) => dateOf(s).getFullYear()));
  const options = years.size > 1 ? { day: "numeric", month: "short", year: "numeric" } : { day: "numeric", month: "short" };
  return sessions.map((s) => dateOf(s).toLocaleDateString(undefined, options));
}

// "Overall score per session, 4 sessions from 3 Mar to 12 Mar, oldest to newest: from 4.5 to 7.2, up 2.7. Best 7.2."
export function describeTrend(title, points) {
  if (!points.length) return `${title}: no scored sessions yet.`;
  if (points.length === 1) return `${title}: one session, on ${points[0].label}, scored ${points[0].value} out of 10.`;
  const first = points[0], last = points[points.length - 1];
  const change = Math.round((last.value - first.value) * 10) / 10;
  const trend = change > 0 ? `up ${change}` : change < 0 ? `down ${-change}` : "unchanged";
  const best = Math.max(...points.map((p) => p.value));
  return `${title}, ${points.length} sessions from ${first.label} to ${last.label}, oldest to newest: ` +
    `from ${first.value} to ${last.value} out of 10, ${trend}. Best ${best}.`;
}

function renderChart() {
  const section = $("history-section").value;
  const oldestFirst = [...history.sessions].sort((a, b) => a.created_at - b.created_at);
  const value = (s) => (section ? (s.section_averages || {})[section] : s.overall);
  const scored = oldestFirst.filter((s) => num(value(s)));
  const labels = shortDates(scored);
  const points = scored.map((s, i) => ({
    label: labels[i], value: value(s), detail: `${longDate(dateOf(s))}: ${value(s)}/10`,
  }));
  const title = section ? `${SECTION_TITLES[section] || section}: average per session` : "Overall score per session";
  const chart = $("history-chart");
  lineChart(chart, points, { title: `${title} (out of 10)`, aria: describeTrend(title, points) });
  chart.hidden = !points.length;
}

$("history-section").addEventListener("change", renderChart);
$("history-more").addEventListener("click", () => {
  const first = $("history-list").children.length;
  history.showAll = true;
  renderList();
  const next = $("history-list").children[first];
  if (next) next.querySelector("button").focus(); // keyboard users land on the first entry just shown
});
