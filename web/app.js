// The interview page: one WebSocket to /ws speaking the JSON protocol in docs/protocol.md.
// All text from the candidate or a model is rendered with textContent or the DOM-building Markdown renderer.
import { renderPlain } from "/static/markdown.js";
import { $, SECTION_TITLES, note, show } from "/static/dom.js";
import { OFFLINE_LIMITS, fillTestTable, renderFeedbackCard } from "/static/feedback.js";
import { downloadReport, showReport } from "/static/report.js";
import { loadHistory as loadHistoryFor } from "/static/history.js";
import { initBank } from "/static/bank.js";
import { draftKey, dropDraft, loadDraft, pruneDrafts, saveDraft } from "/static/drafts.js";
import {
  noteSessionStart, resetTimers, setTimerWanted, showProgress, startTimers, stopQuestionTimer, timerWanted,
  updateCounter,
} from "/static/pacing.js";

// A touch screen without a keyboard: no shortcut hints (the CSS hides <kbd> labels there too).
const TOUCH = window.matchMedia("(hover: none) and (pointer: coarse)").matches;
const SESSION_KEY = "mi.session";
const BROWSER_KEY = "mi.browser";

const state = {
  ws: null,
  queue: [],            // messages waiting for the socket to open
  reconnectDelay: 500,
  grading: false,
  streamBubble: null,
  lastQuestion: null,
  questionBubble: null, // the current question's bubble: Repeat scrolls back to it
  holding: null,        // the feedback card waiting for Next: later frames wait in `held` until it is pressed
  held: [],
  coding: false,        // the current question is a coding one: the editor holds the answer's code
  editor: null,         // the CodeMirror editor (web/vendor/editor.js), created on the first coding question
  sessionId: null,
  draft: null,          // localStorage key of the open question's draft
  skipped: null,        // {bubble, questionBubble}: the last skip, undoable until the next answer is sent
  undoing: false,       // an undo_skip is on its way: the re-asked question reuses its old bubble
  maxChars: 8000,       // the server's answer limit (/healthz says; 8000 by default)
  browserId: localStorage.getItem(BROWSER_KEY) || newId(),
};
localStorage.setItem(BROWSER_KEY, state.browserId);

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

const savedSession = () => JSON.parse(localStorage.getItem(SESSION_KEY) || "null");

// ---------------------------------------------------------------- connection

function connect() {
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
  const ws = new WebSocket(url);
  state.ws = ws;
  setConn("connecting…", "connecting");
  ws.onopen = () => {
    state.reconnectDelay = 500;
    setConn("connected", "ok");
    const saved = savedSession();
    if (saved) ws.send(JSON.stringify({ type: "resume", session_id: saved.id, token: saved.token }));
    while (state.queue.length) ws.send(state.queue.shift());
  };
  ws.onmessage = (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    handle(message);
  };
  ws.onclose = () => {
    setConn("reconnecting…", "down");
    setGrading(false);
    setTimeout(connect, state.reconnectDelay);
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, 8000);
  };
}

function send(message) {
  const raw = JSON.stringify(message);
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(raw);
  else state.queue.push(raw);
}

function setConn(text, kind) {
  const conn = $("conn");
  conn.textContent = text;
  conn.dataset.state = kind;
}

// ---------------------------------------------------------------- protocol

function handle(m) {
  // After feedback the candidate reads the card first: what follows it (the next question, a follow-up being
  // streamed, or the summary) is held back until Next. Errors and a new session are never held.
  if (state.holding && m.type !== "error" && m.type !== "session") {
    state.held.push(m);
    if (m.type === "summary") {
      for (const b of state.holding.querySelectorAll(".next, .next-end button")) b.firstChild.textContent = "See the report ";
    }
    return;
  }
  switch (m.type) {
    case "session":
      state.holding = null;
      state.held = [];
      state.sessionId = m.session_id;
      state.skipped = null;
      localStorage.setItem(SESSION_KEY, JSON.stringify({ id: m.session_id, token: m.token }));
      resetTimers();
      if (!m.resumed) $("chat").replaceChildren();
      else $("chat").replaceChildren(note("Welcome back: resuming your interview."));
      show("interview-view");
      if (location.hash) history.replaceState(null, "", location.pathname); // leave the bank's #bank/... behind
      break;
    case "transcript": addTranscript(m); break;
    case "question": addQuestion(m); break;
    case "status":
      if (m.state === "grading") setGrading(true, state.coding ? "Running the hidden tests and grading…" : "Grading your answer…");
      else if (m.state === "running") $("run-status").textContent = "Running the examples…";
      else if (m.state === "queued") $("run-status").textContent = `Queued for a sandbox (position ${m.position})…`;
      else startStream();
      break;
    case "run_result": showRunResult(m); break;
    case "delta": appendStream(m.text); break;
    case "feedback": setGrading(false); addFeedback(m); break;
    case "hint":
      addBubble("hint", m.text, `Hint ${m.hints_used || ""} · −1 pt`.replace("  ", " "));
      announce(`Hint: ${m.text}`);
      enableInput(true);
      break;
    case "clarification":
      // A clarifying question is not graded: the interviewer answers and the same question stays open.
      setGrading(false);
      if (m.replayed) addBubble("candidate", m.asked, "You"); // resumed: the candidate's own question, too
      addBubble("interviewer", m.text, "Interviewer · clarification");
      $("chat").appendChild(clarificationNote(m));
      announce(`Interviewer: ${m.text}`);
      enableInput(true);
      break;
    case "summary":
      setGrading(false);
      localStorage.removeItem(SESSION_KEY);
      resetTimers();
      onSummary(m);
      break;
    case "error": onError(m); break;
    default: break;
  }
}

function onError(m) {
  setGrading(false);
  if (m.code === "unknown_session") {
    localStorage.removeItem(SESSION_KEY);
    show("start-view");
    loadHistory();
    return;
  }
  if (m.code === "finished" || m.code === "no_session") {
    localStorage.removeItem(SESSION_KEY);
  }
  if (m.code === "nothing_to_undo") state.undoing = false;
  const bubble = addBubble("error", m.message, "Error");
  bubble.setAttribute("role", "alert");
  if (m.code === "session_conflict") {
    // Another tab or device moved this interview on: reloading picks up where that one is.
    localStorage.removeItem(SESSION_KEY);
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload";
    reload.addEventListener("click", () => location.reload());
    bubble.appendChild(reload);
  }
  enableInput(true);
}

// Under a clarification: the question stays open; a message the page read as a question can be graded after all.
function clarificationNote(m) {
  const line = note("Not graded: the question is still open for your answer.");
  if (!m.detected || m.replayed) return line;
  line.append(" Meant it as your answer? ");
  const grade = document.createElement("button");
  grade.type = "button";
  grade.className = "grade-anyway";
  grade.textContent = "Grade it as my answer";
  grade.addEventListener("click", () => {
    if (state.grading || state.holding) return;
    grade.remove();
    dropDraft(state.draft);
    forgetSkip();
    setGrading(true, "Sending…");
    send({ type: "answer", text: m.asked, graded: true });
  });
  line.appendChild(grade);
  return line;
}

// Screen readers hear short news (a question, a score), not the whole card: the chat itself is not live.
function announce(text) {
  const live = $("announcer");
  live.textContent = "";
  setTimeout(() => { live.textContent = text; }, 50);
}

// ---------------------------------------------------------------- chat

function addBubble(kind, text, label) {
  const bubble = document.createElement("div");
  bubble.className = `bubble ${kind}`;
  if (label) {
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = label;
    bubble.appendChild(who);
  }
  const body = document.createElement("div");
  body.className = "text";
  body.textContent = text;
  bubble.appendChild(body);
  $("chat").appendChild(bubble);
  bubble.scrollIntoView({ block: "end", behavior: "smooth" });
  return bubble;
}

// "Interviewer · Q57 · Deep learning · mid", or "Interviewer · follow-up 1 on Q57".
function questionLabel(q) {
  if (q.kind === "follow_up") return `Interviewer · follow-up${q.follow_up_number ? ` ${q.follow_up_number}` : ""} on Q${q.number}`;
  const where = [SECTION_TITLES[q.section] || q.section, q.level].filter(Boolean).join(" · ");
  return `Interviewer · Q${q.number}${where ? ` · ${where}` : ""}`;
}

function addQuestion(q) {
  state.lastQuestion = q;
  const label = questionLabel(q);
  if (state.undoing && state.skipped && state.skipped.questionBubble.isConnected) {
    // Undo skip: the question comes back where it was, without a second bubble.
    state.questionBubble = state.skipped.questionBubble;
    state.questionBubble.scrollIntoView({ block: "center", behavior: "smooth" });
    state.skipped = null;
  } else if (state.streamBubble) {
    state.streamBubble.querySelector(".who").textContent = label;
    state.streamBubble.querySelector(".text").textContent = q.text;
    state.streamBubble.classList.remove("streaming");
    state.questionBubble = state.streamBubble;
    state.streamBubble = null;
  } else {
    state.questionBubble = addBubble(q.kind === "follow_up" ? "interviewer follow-up" : "interviewer", q.text, label);
  }
  state.undoing = false;
  showProgress(q);
  startTimers(q);
  enableInput(true);
  showCodePanel(q);
  restoreDraft(q);
  if (state.coding) state.editor.focus();
  else $("answer-box").focus();
  announce(`${q.kind === "follow_up" ? "Follow-up" : `Question ${q.index} of ${q.total}`}: ${q.text}`);
  speak(q.text);
}

// A coding question's main turn brings its starter code and visible examples: the editor opens with the starter.
function showCodePanel(q) {
  state.coding = Boolean(q.starter) && q.kind === "main" && Boolean(window.MIEditor);
  $("code-panel").hidden = !state.coding;
  $("run-table").hidden = true;
  $("run-status").textContent = "";
  const keys = TOUCH ? "" : state.coding ? " Ctrl+Enter (⌘+Enter) submits." : " Ctrl+Enter (⌘+Enter) sends.";
  $("answer-box").placeholder = (state.coding
    ? "Optional: explain your approach, its complexity and the edge cases you handled."
    : "Type your answer. Code blocks are kept as written.") + keys;
  $("send").firstChild.textContent = state.coding ? "Submit " : "Send ";
  if (!state.coding) return;
  if (!state.editor) {
    state.editor = window.MIEditor.create($("editor"), {
      doc: q.starter, onSubmit: () => $("answer-form").requestSubmit(), onChange: keepDraft,
    });
  } else {
    state.editor.value = q.starter;
  }
}

function showRunResult(m) {
  $("run-status").textContent = !m.ran || m.error
    ? (m.error || "Not run.")
    : `${m.passed} of ${m.total} examples pass${m.queued ? " (waited for a sandbox)" : ""} · ${m.runs_left} runs left`;
  fillTestTable($("run-table"), m.cases, true);
}

function startStream() {
  setGrading(true, "The interviewer is thinking…");
  state.streamBubble = addBubble("interviewer follow-up streaming", "", "Interviewer · follow-up");
}

function appendStream(text) {
  if (!state.streamBubble) startStream();
  setGrading(false);
  state.streamBubble.querySelector(".text").textContent += text;
}

// On resume, one answered turn as it was: the question, clarifications, hints, the answer and its full card.
function addTranscript(t) {
  noteSessionStart(t.asked_at);
  addBubble(t.kind === "follow_up" ? "interviewer follow-up" : "interviewer", t.text, questionLabel(t));
  for (const c of t.clarifications || []) {
    addBubble("candidate", c.asked, "You");
    addBubble("interviewer", c.reply, "Interviewer · clarification");
  }
  (t.hints || []).forEach((hint, i) => addBubble("hint", hint, `Hint ${i + 1} · −1 pt`));
  if (t.skipped) addBubble("candidate", "(skipped)", "You");
  else if (t.answer !== null) {
    const bubble = addBubble("candidate", "", "You");
    renderPlain(t.answer, bubble.querySelector(".text"));
  }
  if (t.feedback) $("chat").appendChild(renderFeedbackCard(t.feedback));
  else if (!t.skipped && t.score !== null && t.score !== undefined) $("chat").appendChild(note(`Scored ${t.score}/10`));
}

// The open question's draft comes back after a reload; it is dropped once sent.
function restoreDraft(q) {
  state.draft = draftKey(state.sessionId, q);
  const draft = loadDraft(state.draft);
  $("answer-box").value = draft ? draft.text || "" : "";
  if (state.coding && draft && draft.code) state.editor.value = draft.code;
  updateCounter(state.maxChars);
}

function keepDraft() {
  saveDraft(state.draft, $("answer-box").value, state.coding && state.editor ? state.editor.value : null);
}

function addFeedback(m) {
  const card = renderFeedbackCard(m);
  stopQuestionTimer();
  $("chat").appendChild(card);
  announce(`Scored ${m.score} out of 10. The feedback card is below; press N or the Next button for the next question.`);
  card.scrollIntoView({ block: "start", behavior: "smooth" });
  // Wait for Next: the input stays off until the next question is shown.
  state.holding = card;
  enableInput(false);
  const next = card.querySelector(".next");
  next.hidden = false;
  next.addEventListener("click", releaseHeld);
  card.querySelector(".next-end").hidden = false; // a second Next at the foot of a long card
  card.querySelector(".next-end button").addEventListener("click", releaseHeld);
  next.focus({ preventScroll: true });
}

// Next: show what the server sent after the feedback card (the next question or the report).
function releaseHeld() {
  const card = state.holding;
  if (!card) return;
  card.querySelector(".next").hidden = true;
  card.querySelector(".next-end").hidden = true;
  state.holding = null;
  for (const m of state.held.splice(0)) handle(m);
}

function setGrading(on, text) {
  state.grading = on;
  $("grading").hidden = !on;
  if (text) $("grading-text").textContent = llmWaitText(text);
  waitClock(on);
  enableInput(!on);
}

// A local model can take a minute to grade: name it and count the seconds, so the page never looks frozen.
function llmActive() {
  const h = state.health;
  return Boolean(h && h.grader === "llm" && !["unreachable", "failing"].includes(h.llm_status));
}

function llmWaitText(text) {
  return text === "Grading your answer…" && llmActive() ? `Grading with ${state.health.llm_model}…` : text;
}

function waitClock(on) {
  const elapsed = $("grading-elapsed");
  if (!on) {
    clearInterval(state.waitTimer);
    state.waitTimer = null;
    elapsed.textContent = "";
    return;
  }
  if (state.waitTimer) return; // "Sending…" then "Grading…": one wait, one clock
  const started = Date.now();
  state.waitTimer = setInterval(() => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    elapsed.textContent = seconds >= 1 ? ` ${seconds}s` : "";
  }, 1000);
}

function enableInput(on) {
  on = on && !state.holding; // no answering while the next question waits behind Next
  for (const id of ["send", "ask", "hint", "skip", "repeat", "answer-box", "run-examples"]) $(id).disabled = !on;
}

// ---------------------------------------------------------------- views

function onSummary(m) {
  showReport(m);
  loadHistory();
}

const loadHistory = () => loadHistoryFor(state.browserId);

async function loadHealth() {
  clearTimeout(state.healthTimer);
  try {
    const health = await (await fetch("/healthz")).json();
    state.health = health;
    if (health.max_answer_chars) state.maxChars = health.max_answer_chars;
    const badge = $("grader-badge");
    badge.dataset.grader = health.grader;
    badge.dataset.llm = health.llm_status || "";
    if (health.grader !== "llm") {
      badge.textContent = "Offline grader";
      badge.title = OFFLINE_LIMITS;
      return;
    }
    // The server probes the LLM once at start-up (`mock-interviewer llm check`); say so before the first answer.
    const down = health.llm_status === "unreachable" || health.llm_status === "failing";
    const checking = health.llm_status === "checking" || health.llm_status === "unchecked";
    badge.textContent = down ? (health.llm_status === "unreachable" ? "LLM unreachable, grading offline"
      : "LLM not working, grading offline") : `LLM grader · ${health.llm_model}${checking ? " (checking…)" : ""}`;
    badge.title = down ? `${health.llm_detail}. ${OFFLINE_LIMITS}` : "Answers are graded by an LLM against the rubric.";
    // Look again while the probe runs, and now and then while the LLM is down (the badge recovers with it).
    if (checking || down) state.healthTimer = setTimeout(loadHealth, checking ? 2000 : 30000);
  } catch { $("grader-badge").textContent = "server unreachable"; }
}

// ---------------------------------------------------------------- voice (where the browser has it)

const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
let recognizer = null;
if (Recognition) {
  $("mic").hidden = false;
  $("mic").addEventListener("click", () => {
    if (recognizer) { recognizer.stop(); return; }
    recognizer = new Recognition();
    recognizer.lang = "en-US";
    recognizer.continuous = true;
    recognizer.interimResults = false;
    recognizer.onresult = (event) => {
      for (let i = event.resultIndex; i < event.results.length; i++) {
        if (event.results[i].isFinal) $("answer-box").value += `${$("answer-box").value ? " " : ""}${event.results[i][0].transcript.trim()}`;
      }
    };
    recognizer.onend = () => { recognizer = null; $("mic").setAttribute("aria-pressed", "false"); $("mic").textContent = "🎤 Dictate"; };
    recognizer.start();
    $("mic").setAttribute("aria-pressed", "true");
    $("mic").textContent = "■ Stop dictation";
  });
}
if ("speechSynthesis" in window) $("speak-label").hidden = false;
$("speak").checked = localStorage.getItem("mi.speak") === "1";
$("speak").addEventListener("change", () => localStorage.setItem("mi.speak", $("speak").checked ? "1" : "0"));

function speak(text) {
  if (!("speechSynthesis" in window) || !$("speak").checked) return;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

// ---------------------------------------------------------------- wiring

$("start-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const message = { type: "start", browser_id: state.browserId, count: Number(form.get("count")) || 5 };
  for (const key of ["section", "level", "topic"]) {
    const value = String(form.get(key) || "").trim();
    if (value) message[key] = value;
  }
  setTimerWanted(form.get("timer") === "on");
  startInterview(message);
});
$("timer-wanted").checked = timerWanted();
// Remembered as soon as it is ticked, so Practise and Retry (which skip the form) keep the choice.
$("timer-wanted").addEventListener("change", () => setTimerWanted($("timer-wanted").checked));

function startInterview(message) {
  if (savedSession()) {
    // An interview is still open on this connection: leave it (it stays in the history, unfinished) and start
    // the new one on a fresh connection, which then has nothing to resume.
    if (!confirm("Leave your current interview? It stays in your history as unfinished.")) return;
    localStorage.removeItem(SESSION_KEY);
    state.queue.push(JSON.stringify(message));
    $("chat").replaceChildren();
    if (state.ws) state.ws.close();
    return;
  }
  $("chat").replaceChildren();
  send(message);
}

// "Practise this question" (bank view) and "Retry" (report): a one-question interview on exactly those numbers.
document.addEventListener("mi:practise", (event) => {
  const numbers = event.detail && event.detail.numbers;
  if (!Array.isArray(numbers) || !numbers.length) return;
  startInterview({ type: "start", browser_id: state.browserId, numbers, count: numbers.length });
});

$("answer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("answer-box").value;
  const code = state.coding ? state.editor.value : null;
  if (state.grading || !(text.trim() || (code && code.trim()))) return;
  if (!updateCounter(state.maxChars)) {
    // Never cut an answer silently: say so and keep every character in the box.
    addBubble("error", `Your answer is ${text.length.toLocaleString()} characters; the limit is ${state.maxChars.toLocaleString()}. Shorten it and send again (nothing was sent).`, "Error").setAttribute("role", "alert");
    return;
  }
  const bubble = addBubble("candidate", "", "You");
  renderPlain(text, bubble.querySelector(".text"), code); // the code in monospace, the prose in the text font
  $("answer-box").value = "";
  updateCounter(state.maxChars);
  dropDraft(state.draft);
  forgetSkip();
  setGrading(true, "Sending…");
  send(code === null ? { type: "answer", text } : { type: "answer", text, code });
});

$("answer-box").addEventListener("input", () => { keepDraft(); updateCounter(state.maxChars); });

// "Ask the interviewer": the box's text goes as a question about the task, answered and never graded.
$("ask").addEventListener("click", () => {
  const text = $("answer-box").value.trim();
  if (state.grading || !text) { $("answer-box").focus(); return; }
  if (text.length > 1000) {
    addBubble("error", "Questions for the interviewer are limited to 1,000 characters. To answer, use Send.", "Error").setAttribute("role", "alert");
    return;
  }
  addBubble("candidate", text, "You · question");
  $("answer-box").value = "";
  updateCounter(state.maxChars);
  dropDraft(state.draft);
  setGrading(true, "Asking the interviewer…");
  send({ type: "clarify", text });
});

$("run-examples").addEventListener("click", () => {
  if (!state.coding || state.grading) return;
  $("run-status").textContent = "Running the examples…";
  send({ type: "run", code: state.editor.value });
});

$("answer-box").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    $("answer-form").requestSubmit();
  } else if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey) {
    // Tab indents here, as in an editor: it must not move focus to Send, where the next space would submit a
    // half-written answer. Shift+Tab still leaves the box.
    event.preventDefault();
    const box = event.target;
    box.setRangeText("    ", box.selectionStart, box.selectionEnd, "end");
  }
});

$("hint").addEventListener("click", () => send({ type: "hint" }));

// Keyboard: N for Next and ? for the list when not typing; Alt+H/S/R for Hint, Skip, Repeat anywhere.
const SHORTCUTS = { KeyH: "hint", KeyS: "skip", KeyR: "repeat" };
document.addEventListener("keydown", (event) => {
  const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
  if (event.altKey && !event.ctrlKey && !event.metaKey && SHORTCUTS[event.code]) {
    const button = $(SHORTCUTS[event.code]);
    if ($("interview-view").hidden || button.disabled) return;
    event.preventDefault();
    button.click();
    return;
  }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (state.holding && (event.key === "n" || event.key === "N")) {
    event.preventDefault();
    releaseHeld();
  } else if (event.key === "?") {
    event.preventDefault();
    $("shortcuts").togglePopover();
  }
});

// Skip asks once; it can be undone until the next answer is sent.
$("skip").addEventListener("click", () => {
  if (!confirm("Skip this question? It counts as 0/10. You can undo the skip until you send your next answer.")) return;
  forgetSkip();
  const bubble = addBubble("candidate", "(skipped)", "You");
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "undo-skip";
  undo.textContent = "Undo skip";
  undo.addEventListener("click", () => {
    if (state.grading) return;
    state.undoing = true;
    bubble.remove();
    if (state.questionBubble && state.questionBubble !== state.skipped.questionBubble) state.questionBubble.remove();
    dropDraft(state.draft);
    send({ type: "undo_skip" });
  });
  bubble.appendChild(undo);
  state.skipped = { bubble, questionBubble: state.questionBubble };
  dropDraft(state.draft);
  send({ type: "skip" });
});

// The undo is offered until the next answer goes out (or another skip replaces it).
function forgetSkip() {
  if (!state.skipped) return;
  const undo = state.skipped.bubble.querySelector(".undo-skip");
  if (undo) undo.remove();
  state.skipped = null;
}

// Repeat shows the current question again where it is, without a second bubble.
$("repeat").addEventListener("click", () => {
  const bubble = state.questionBubble;
  if (!bubble || !bubble.isConnected) { send({ type: "repeat" }); return; }
  bubble.scrollIntoView({ block: "center", behavior: "smooth" });
  bubble.classList.remove("flash");
  void bubble.offsetWidth; // restart the highlight
  bubble.classList.add("flash");
  if (state.lastQuestion) speak(state.lastQuestion.text);
});
$("end").addEventListener("click", () => {
  if (!confirm("End the interview and see your report?")) return;
  const finished = state.held.some((m) => m.type === "summary"); // the report is already here, behind Next
  releaseHeld();
  if (!finished) send({ type: "end" });
});
$("new-interview").addEventListener("click", () => { show("start-view"); loadHistory(); });
$("download").addEventListener("click", downloadReport);

pruneDrafts();
loadHealth();
loadHistory();
if (!savedSession()) show("start-view");
connect();
initBank(); // the question bank view: opens itself when the address is #bank or #bank/<n>
