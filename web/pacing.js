// Pacing: the progress line (main questions and follow-ups), optional timers, and the answer's length.
import { $ } from "/static/dom.js";

const TIMER_KEY = "mi.timer";
const clock = { question: null, session: null, suggested: 0, ticker: null };

export const timerWanted = () => localStorage.getItem(TIMER_KEY) === "1";
export const setTimerWanted = (on) => localStorage.setItem(TIMER_KEY, on ? "1" : "0");

const mmss = (seconds) => {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

// "Question 2 of 5 · follow-up 1 (up to 2)"; the bar counts finished main questions plus a share for follow-ups,
// so it is not full while the last question's follow-ups remain.
export function showProgress(q) {
  const followUp = q.kind === "follow_up";
  const which = followUp ? ` · follow-up${q.follow_up_number ? ` ${q.follow_up_number}` : ""}${q.max_follow_ups ? ` (up to ${q.max_follow_ups})` : ""}` : "";
  $("progress").textContent = `Question ${q.index} of ${q.total}${which}`;
  const share = followUp && q.follow_up_number ? q.follow_up_number / ((q.max_follow_ups || 2) + 1) : 0;
  $("progress-bar").max = q.total;
  $("progress-bar").value = q.index - 1 + share;
  $("progress-bar").setAttribute("aria-label", `${q.index - 1} of ${q.total} main questions done`);
}

// Timers count from the server's asked_at, so they survive a reload; the session clock from the first question.
export function startTimers(q) {
  if (q.asked_at) {
    clock.question = q.asked_at;
    if (clock.session === null || q.asked_at < clock.session) clock.session = q.asked_at;
  }
  clock.suggested = q.suggested_seconds || 0;
  renderTimers();
  if (!clock.ticker) clock.ticker = setInterval(renderTimers, 1000);
}

export function noteSessionStart(askedAt) {
  if (askedAt && (clock.session === null || askedAt < clock.session)) clock.session = askedAt;
}

export function resetTimers() {
  clearInterval(clock.ticker);
  Object.assign(clock, { question: null, session: null, suggested: 0, ticker: null });
  $("timer").hidden = true;
}

export function stopQuestionTimer() {
  clock.question = null;
  renderTimers();
}

function renderTimers() {
  const box = $("timer");
  box.hidden = !timerWanted() || clock.session === null;
  if (box.hidden) return;
  const now = Date.now() / 1000;
  const parts = [];
  if (clock.question !== null) {
    const spent = now - clock.question;
    const over = clock.suggested && spent > clock.suggested;
    parts.push(`This question ${mmss(spent)}${clock.suggested ? ` / ${mmss(clock.suggested)} suggested` : ""}`);
    box.dataset.over = over ? "1" : "";
  } else {
    box.dataset.over = "";
  }
  parts.push(`session ${mmss(now - clock.session)}`);
  $("timer-text").textContent = parts.join(" · ");
}

// The answer's length against the server's limit: a counter near the limit, and the send refused above it.
export function updateCounter(limit) {
  const box = $("answer-box");
  const count = $("answer-count");
  const length = box.value.length;
  count.hidden = length < limit * 0.8;
  count.textContent = `${length.toLocaleString()} / ${limit.toLocaleString()} characters`;
  count.dataset.over = length > limit ? "1" : "";
  return length <= limit;
}
