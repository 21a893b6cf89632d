// The feedback card for one graded answer: built from a `feedback` frame (docs/protocol.md), live or on resume.
import { renderMarkdown } from "/static/markdown.js";
import { $, fillList } from "/static/dom.js";

// Said where the grade is shown, so a candidate knows what an offline score can and cannot vouch for.
export const OFFLINE_LIMITS =
  "Offline grading compares your answer with the key points and the question's common mistakes by meaning. " +
  "It can miss a wrong claim the bank does not list, so a fluent but wrong answer may still earn partial credit. " +
  "Configure an LLM (OPENAI_BASE_URL / OPENAI_API_KEY) for a stricter rubric.";

export const BANDS = { pass: "would pass", partial: "partly there", weak: "not yet", none: "no credit" };

// The limit of an offline grade, in plain view on the card.
function offlineLimit(g) {
  if (!g.tests) {
    return "Offline grade: it checks the key points and the question's listed common mistakes. " +
      "It cannot tell whether your other claims are true, so a fluent wrong answer can still earn partial credit.";
  }
  return g.tests.ran
    ? "Correctness comes from the hidden tests, run on your code in a sandbox. The explanation is graded " +
      "offline against the key points; it cannot tell whether other claims in it are true."
    : "Your code was not run (no sandbox on this server), so correctness could not be checked.";
}

export function renderFeedbackCard(m) {
  const g = m.grade;
  const card = $("feedback-template").content.firstElementChild.cloneNode(true);
  card.querySelector(".score").textContent = `${m.score}/10`;
  card.querySelector(".band").textContent = BANDS[g.band];
  card.dataset.band = g.band;
  const grader = card.querySelector(".grader");
  grader.textContent = g.grader === "llm" ? "LLM rubric" : (g.fallback_reason ? "offline (LLM unavailable)" : "offline grader");
  if (g.grader !== "llm") {
    grader.title = OFFLINE_LIMITS;
    const limit = document.createElement("p");
    limit.className = "offline-limit";
    limit.textContent = offlineLimit(g);
    card.querySelector(".criteria").before(limit);
  }
  const criteria = card.querySelector(".criteria");
  for (const c of g.criteria) {
    const row = document.createElement("div");
    row.className = "criterion";
    const name = document.createElement("span");
    name.textContent = c.criterion;
    const bar = document.createElement("meter");
    bar.min = 0; bar.max = 10; bar.low = 4; bar.high = 7.9; bar.optimum = 10; bar.value = c.score;
    bar.setAttribute("aria-label", `${c.criterion}: ${c.score} out of 10`);
    const value = document.createElement("span");
    value.textContent = `${c.score}`;
    value.setAttribute("aria-hidden", "true");
    const reason = document.createElement("small");
    reason.textContent = c.reason;
    row.append(name, bar, value, reason);
    criteria.appendChild(row);
  }
  card.querySelector(".feedback-text").textContent = g.feedback + (m.hints_used ? ` (${m.hints_used} hint(s) used: −${m.hints_used} point(s).)` : "");
  const [found, notFound] = pointTitles(g);
  card.querySelector(".covered-title").textContent = found;
  card.querySelector(".missed-title").textContent = notFound;
  fillList(card.querySelector(".covered"), g.covered, "none yet");
  fillList(card.querySelector(".missed"), g.missed, "nothing missed");
  if (g.misconceptions.length) {
    card.querySelector(".misconceptions-block").hidden = false;
    fillList(card.querySelector(".misconceptions"), g.misconceptions);
  }
  if (g.tests) card.querySelector(".feedback-text").after(testsBlock(g.tests));
  card.querySelector(".follow-up").textContent = g.follow_up;
  card.querySelector(".follow-up-line").hidden = !g.follow_up;
  card.querySelector(".notes").textContent = [...g.notes, g.fallback_reason ? `LLM fallback: ${g.fallback_reason}` : ""].filter(Boolean).join(" ");
  renderMarkdown(m.reference_answer, card.querySelector(".reference-body"));
  fillMistakes(card.querySelector(".common-mistakes"), m.common_mistakes || []);
  card.querySelector(".mistakes-block").hidden = !(m.common_mistakes || []).length;
  return card;
}

// What the key-point lists may claim: the offline grader matches by meaning and can miss a point said in other
// words, so it says what it found (and, beside code, only in the explanation); an LLM judges covered and missed.
export function pointTitles(g) {
  if (g.grader === "llm") return ["Covered", "Missed"];
  const where = g.tests ? "your explanation" : "your answer";
  return [`Found in ${where}`, `Not found in ${where}`];
}

// A coding answer: what the hidden tests found, one row per test.
export function testsBlock(tests) {
  const block = document.createElement("div");
  block.className = "tests-block";
  const heading = document.createElement("h4");
  heading.textContent = tests.ran ? `Hidden tests: ${tests.passed} of ${tests.total} passed` : "Your code was not run";
  const table = document.createElement("table");
  table.className = "test-table hidden-tests";
  const head = table.createTHead().insertRow();
  for (const title of ["Test", "Result", "Why"]) {
    const th = document.createElement("th");
    th.textContent = title;
    head.appendChild(th);
  }
  table.createTBody();
  block.append(heading, table);
  fillTestTable(table, tests.cases, false);
  return block;
}

// One row per case: its name, pass/fail, and what it printed or why it failed.
export function fillTestTable(table, cases, withOutput) {
  const body = table.querySelector("tbody");
  body.replaceChildren();
  for (const c of cases) {
    const row = document.createElement("tr");
    row.className = c.passed ? "pass" : "fail";
    const name = document.createElement("td");
    name.textContent = c.name;
    const result = document.createElement("td");
    result.textContent = c.passed ? "✓ pass" : "✗ fail";
    const detail = document.createElement("td");
    const pre = document.createElement("pre");
    pre.textContent = [withOutput ? c.output : "", c.message].filter(Boolean).join("\n");
    detail.appendChild(pre);
    row.append(name, result, detail);
    body.appendChild(row);
  }
  table.hidden = !cases.length;
}

export function fillMistakes(list, mistakes) {
  list.replaceChildren();
  for (const { claim, correction } of mistakes) {
    const li = document.createElement("li");
    const wrong = document.createElement("span");
    wrong.className = "claim";
    wrong.textContent = claim;
    const right = document.createElement("span");
    right.className = "correction";
    right.textContent = correction;
    li.append(wrong, right);
    list.appendChild(li);
  }
}
