// The interview report: built from a `summary` frame (docs/protocol.md) at the end of an interview, or from a past
// session opened in the history ({summary, markdown, filename} from GET /api/history/<browser>/<session>).
// Every field is optional here: what the server does not send is simply not shown.
import { renderMarkdown, renderPlain } from "/static/markdown.js";
import { $, SECTION_TITLES, duration, fillList, show } from "/static/dom.js";
import { BANDS, pointTitles, testsBlock } from "/static/feedback.js";
import { barChart } from "/static/charts.js";

const FALLBACK_FILENAME = "mock-interview-report.md";
const report = { markdown: "", filename: FALLBACK_FILENAME, returnFocus: null };

const arr = (x) => (Array.isArray(x) ? x : []);
const has = (x) => x !== null && x !== undefined && x !== "";
const num = (x) => typeof x === "number" && Number.isFinite(x);

function el(tag, cls, content) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (has(content)) node.textContent = String(content);
  return node;
}

const sectionTitle = (section, title) => title || SECTION_TITLES[section] || section || "";
const capital = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);
const when = (epoch) => new Date(epoch * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

// "7.5/10", "skipped", or "not graded": a skipped answer is never shown as a score of 0.
export function scoreText(q) {
  if (q.skipped) return "skipped";
  return num(q.score) ? `${q.score}/10` : "not graded";
}

// Practise these main questions again: the page (app.js) starts a short interview with exactly them.
function practise(numbers) {
  document.dispatchEvent(new CustomEvent("mi:practise", { detail: { numbers } }));
}

// ------------------------------------------------------------------------------------------------ the header

function fillHeader(s) {
  $("overall").textContent = num(s.overall) ? `${s.overall}/10` : "–";
  $("overall").closest(".overall").dataset.band = num(s.overall) ? (s.overall >= 8 ? "pass" : s.overall >= 4 ? "partial" : "weak") : "";
  $("level-reached").textContent = has(s.level_reached) ? `level reached: ${s.level_reached}` : "";
  const meta = $("report-meta");
  meta.replaceChildren();
  const level = s.level === "adaptive" || (s.level === null && "level" in s) ? "Adaptive" : capital(s.level);
  const rows = [
    ["Date", has(s.started_at) ? when(s.started_at) : has(s.finished_at) ? when(s.finished_at) : ""],
    ["Section", has(s.section_title) ? s.section_title : has(s.section) ? sectionTitle(s.section) : ("section" in s ? "Any section" : "")],
    ["Level", level || ""],
    ["Topic", s.topic || ""],
    ["Duration", duration(s.duration_seconds)],
    ["Level reached", has(s.level_reached) ? capital(String(s.level_reached)) : ""],
  ];
  for (const [name, value] of rows) {
    if (!value) continue;
    const item = el("div");
    item.append(el("dt", "", name), el("dd", "", value));
    meta.appendChild(item);
  }
}

// ------------------------------------------------------------------------------------------------ questions

// Main questions with their follow-ups under them. A follow-up nobody answered (the interview ended first) is left out.
function groupQuestions(questions) {
  const groups = [];
  for (const q of questions) {
    if (!q || typeof q !== "object") continue;
    if (q.kind === "follow_up") {
      const answered = q.skipped || num(q.score) || has(q.answer);
      if (!answered) continue;
      const last = groups[groups.length - 1];
      if (last && last.main && last.main.number === q.number) last.followUps.push(q);
      else groups.push({ main: null, followUps: [q] });
    } else {
      groups.push({ main: q, followUps: [] });
    }
  }
  return groups;
}

function questionLabel(q, followUpNumber) {
  if (q.kind === "follow_up") return `Follow-up ${followUpNumber}`;
  return [`Q${q.number}`, sectionTitle(q.section), q.level, "main question"].filter(Boolean).join(" · ");
}

function scoreBadge(q) {
  const badge = el("span", "q-score");
  badge.dataset.band = q.skipped ? "skipped" : (q.band || "");
  badge.appendChild(el("strong", "", scoreText(q)));
  if (!q.skipped && q.band && BANDS[q.band]) badge.appendChild(el("span", "q-band", BANDS[q.band]));
  return badge;
}

function criteriaBlock(criteria) {
  const block = el("div", "criteria");
  block.appendChild(el("h5", "", "Criteria"));
  for (const c of criteria) {
    const row = el("div", "criterion");
    const meter = document.createElement("meter");
    meter.min = 0; meter.max = 10; meter.low = 4; meter.high = 7.9; meter.optimum = 10;
    meter.value = num(c.score) ? c.score : 0;
    meter.setAttribute("aria-label", `${c.criterion}: ${c.score} out of 10`);
    const value = el("span", "", c.score);
    value.setAttribute("aria-hidden", "true");
    row.append(el("span", "", c.criterion), meter, value);
    if (c.reason) row.appendChild(el("small", "", c.reason));
    block.appendChild(row);
  }
  return block;
}

function listBlock(title, items, cls, empty) {
  const block = el("div", `q-list ${cls}`);
  block.appendChild(el("h5", "", title));
  const list = el("ul", cls);
  fillList(list, items.map(String), empty);
  block.appendChild(list);
  return block;
}

// What the candidate answered and what the grader made of it; shared by main questions and follow-ups.
function answerBody(q) {
  const body = el("div", "q-body");
  const answer = el("div", "q-answer");
  answer.appendChild(el("h5", "", "Your answer"));
  if (q.skipped) answer.appendChild(el("p", "q-skipped", "Skipped: no answer given."));
  else if (has(q.answer) || has(q.code)) renderPlain(q.answer ?? "", answer, q.code ?? null);
  if (answer.childElementCount > 1) body.appendChild(answer);

  const facts = [];
  if (num(q.seconds)) facts.push(`Time taken: ${duration(q.seconds)}`);
  if (num(q.hints)) facts.push(q.hints ? `Hints used: ${q.hints} (−${q.hints} pt)` : "No hints used");
  if (q.grader) facts.push(q.grader === "llm" ? "Graded by the LLM rubric" : "Graded offline");
  if (facts.length) body.appendChild(el("p", "q-facts", facts.join(" · ")));

  if (!q.skipped) {
    if (arr(q.criteria).length) body.appendChild(criteriaBlock(q.criteria));
    if (q.feedback) body.appendChild(el("p", "q-feedback", q.feedback));
    if ("covered" in q || "missed" in q) {
      const grid = el("div", "grid2");
      const [found, notFound] = pointTitles(q);
      grid.append(listBlock(found, arr(q.covered), "covered", "none yet"),
        listBlock(notFound, arr(q.missed), "missed", "nothing missed"));
      body.appendChild(grid);
    }
    if (arr(q.misconceptions).length) body.appendChild(listBlock("Misconceptions", q.misconceptions, "misconceptions"));
    if (q.tests && typeof q.tests === "object" && Array.isArray(q.tests.cases)) body.appendChild(testsBlock(q.tests));
  }
  if (has(q.reference_answer)) {
    const details = el("details", "reference");
    details.appendChild(el("summary", "", "Reference answer"));
    const ref = el("div", "reference-body");
    renderMarkdown(q.reference_answer, ref);
    details.appendChild(ref);
    body.appendChild(details);
  }
  return body;
}

function questionText(source) {
  const wrap = el("div", "q-text");
  renderMarkdown(source, wrap);
  return wrap;
}

// The heading of a question or follow-up: its label (an h4 or h5, for screen-reader navigation) and its score.
function questionHead(q, followUpNumber, level) {
  const head = el("header", "q-head");
  head.append(el(level, "q-label", questionLabel(q, followUpNumber)), scoreBadge(q));
  return head;
}

function questionCard(group, index) {
  const card = el("article", "card q-card");
  card.id = `report-q-${index + 1}`;
  const main = group.main;
  if (main) {
    card.dataset.number = main.number;
    card.appendChild(questionHead(main, null, "h4"));
    // `title` is the bank title in some payloads and the question as asked in others: shown once either way.
    const asked = has(main.question) ? main.question : main.title;
    if (has(main.title) && has(main.question) && main.question.trim() !== main.title.trim()) card.appendChild(el("p", "q-title", main.title));
    if (has(asked)) card.appendChild(questionText(asked));
    card.appendChild(answerBody(main));
  }
  group.followUps.forEach((f, k) => {
    const section = el("section", "q-follow-up");
    const n = Number.isInteger(f.follow_up_number) ? f.follow_up_number : k + 1;
    section.append(questionHead(f, n, "h5"), questionText(has(f.question) ? f.question : f.title || ""), answerBody(f));
    card.appendChild(section);
  });
  if (main && Number.isInteger(main.number)) {
    const actions = el("p", "q-actions");
    const retry = el("button", "retry", "Retry this question");
    retry.type = "button";
    retry.setAttribute("aria-label", `Retry question ${main.number}: ${main.title || ""}`.trim());
    retry.addEventListener("click", () => practise([main.number]));
    actions.appendChild(retry);
    card.appendChild(actions);
  }
  return card;
}

// One row per listed answer, linking to its card below.
function fillTable(groups) {
  const tbody = $("report-table").querySelector("tbody");
  tbody.replaceChildren();
  groups.forEach((g, i) => {
    for (const q of [g.main, ...g.followUps].filter(Boolean)) {
      const tr = el("tr", q.kind === "follow_up" ? "follow-up-row" : "");
      const link = el("a", "", q.kind === "follow_up" ? `↳ ${q.title || q.question || "follow-up"}` : (q.title || q.question || ""));
      link.href = `#report-q-${i + 1}`;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        $(`report-q-${i + 1}`).scrollIntoView({ block: "start" });
      });
      const cells = [q.number, link, q.kind === "follow_up" ? "follow-up" : "main", scoreText(q), num(q.hints) ? q.hints : ""];
      for (const value of cells) {
        const td = el("td");
        if (value instanceof Node) td.appendChild(value);
        else td.textContent = String(value ?? "");
        tr.appendChild(td);
      }
      if (q.skipped) tr.dataset.skipped = "true";
      tbody.appendChild(tr);
    }
  });
}

// ------------------------------------------------------------------------------------------------ the rest

function fillStudyPlan(plan) {
  const list = $("study-plan");
  list.replaceChildren();
  for (const step of plan) {
    const li = el("li");
    const avg = num(step.average) ? ` (${step.average}/10)` : "";
    const questions = step.questions ? `, ${step.questions}` : "";
    li.append(el("strong", "", `${sectionTitle(step.section, step.title)}${avg}${questions}: `), document.createTextNode(step.advice || ""));
    list.appendChild(li);
  }
  if (!plan.length) list.appendChild(el("li", "empty", "Nothing to plan yet."));
}

function fillRevisit(revisit) {
  fillList($("revisit"), revisit.map((q) => `Q${q.number}: ${q.title}${q.skipped ? " (skipped)" : num(q.score) ? ` (${q.score}/10)` : ""}`), "Nothing to revisit.");
  const numbers = [...new Set(revisit.filter((q) => q.kind !== "follow_up" && Number.isInteger(q.number)).map((q) => q.number))];
  const button = $("practise-revisit");
  button.hidden = !numbers.length;
  button.onclick = () => practise(numbers);
}

// options.back: opened from the history, so a Back button returns to the start view (and to `returnFocus`).
export function showReport(m, options = {}) {
  const s = (m && m.summary) || {};
  report.markdown = (m && m.markdown) || "";
  report.filename = (m && m.filename) || FALLBACK_FILENAME;
  report.returnFocus = options.returnFocus || null;
  $("download").disabled = !report.markdown;
  $("report-back").hidden = !options.back;

  fillHeader(s);
  const groups = groupQuestions(arr(s.questions));
  fillTable(groups);
  const container = $("report-questions");
  container.replaceChildren(...groups.map(questionCard));
  if (!groups.length) container.appendChild(el("p", "hint-text", "No questions were answered."));
  fillList($("strongest"), arr(s.strongest_points).map(String), "—");
  fillList($("weakest"), arr(s.weakest_points).map(String), "—");
  fillRevisit(arr(s.revisit));
  fillStudyPlan(arr(s.study_plan));

  show("report-view");
  // Drawn once the view is visible, so the chart is measured at its real width.
  barChart($("section-chart"), arr(s.sections).map((x) => ({ label: sectionTitle(x.section, x.title), value: x.average })));
  window.scrollTo({ top: 0, left: 0, behavior: "instant" }); // the report opens at its top
  $("report-title").focus({ preventScroll: true });
}

export function downloadReport() {
  if (!report.markdown) return;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([report.markdown], { type: "text/markdown" }));
  link.download = report.filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

// Back (a report opened from the history): the start view, where the candidate was.
$("report-back").addEventListener("click", () => {
  show("start-view");
  const target = report.returnFocus && report.returnFocus.isConnected ? report.returnFocus : $("history-title");
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
});
