// "Study the bank": browse, filter and search the question bank, and read an entry (reference answer, key points,
// follow-ups, common mistakes, and for coding questions the starter code and examples).
// Deep-linkable: #bank is the list, #bank/57 opens question 57; the browser's Back and a reload keep the place.
// Everything from the bank goes in through textContent or the DOM-building Markdown renderer.
import { renderInline, renderMarkdown } from "/static/markdown.js";
import { $, SECTION_TITLES, show } from "/static/dom.js";

const ROUTE = /^#bank(?:\/(\d+))?\/?$/;
const SEARCH_DELAY = 300; // ms of quiet typing before a search is sent
const SEARCH_K = 20;
// Search ranks the whole bank by meaning, so something always comes back; below this cosine a hit is not about the
// query (unrelated words score about 0.1-0.25, a real match 0.35 and up) and is left out.
const MIN_SCORE = 0.3;
const LEVELS = ["junior", "mid", "senior"];
let TITLE = document.title; // the page's own title, put back when an entry closes

const state = {
  entries: new Map(),  // number -> the whole entry, once fetched
  current: null,       // the number of the open entry, or null for the list alone
  listSeq: 0,          // the latest list/search request: older answers are dropped
  entrySeq: 0,
  timer: null,
  lastQuery: null,     // the query (and filters) the list shows, so the same search is not sent twice
  inited: false,
};

const el = (tag, cls, text) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
};

const sectionTitle = (section) => SECTION_TITLES[section] || section;
const levelText = (level) => String(level).replace("-", "–");
// A bank level may span two ("junior-mid"): it suits either plain level.
const suits = (level, wanted) => !wanted || String(level).split("-").includes(wanted);

function levelBadge(level) {
  const badge = el("span", "bank-level", levelText(level));
  badge.dataset.level = level;
  badge.title = `Level: ${levelText(level)}`;
  return badge;
}

async function getJSON(url) {
  const response = await fetch(url);
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
    const error = new Error(typeof detail === "string" ? detail : `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

// ---------------------------------------------------------------- the list

function filters() {
  return { section: $("bank-section").value, level: $("bank-level").value, query: $("bank-search").value.trim() };
}

function setStatus(text, kind = "") {
  const status = $("bank-status");
  status.textContent = text;
  status.dataset.kind = kind;
}

// The filters and search survive a reload in this tab, like the open entry does (in the address).
const FILTERS_KEY = "mi.bank.filters";

function keepFilters(f) {
  try { sessionStorage.setItem(FILTERS_KEY, JSON.stringify(f)); } catch { /* storage off: not kept */ }
}

function restoreFilters() {
  let saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(FILTERS_KEY) || "null"); } catch { saved = null; }
  if (!saved) return;
  for (const [id, value] of [["bank-section", saved.section], ["bank-level", saved.level]]) {
    if ([...$(id).options].some((o) => o.value === value)) $(id).value = value;
  }
  $("bank-search").value = typeof saved.query === "string" ? saved.query : "";
}

async function refreshList({ force = false } = {}) {
  clearTimeout(state.timer);
  const f = filters();
  keepFilters(f);
  const key = JSON.stringify(f);
  if (!force && key === state.lastQuery) return;
  state.lastQuery = key;
  const seq = ++state.listSeq;
  $("bank-list").setAttribute("aria-busy", "true");
  setStatus(f.query ? "Searching…" : "Loading the questions…");
  try {
    let items;
    if (f.query) {
      const hits = await getJSON(`/api/search?${new URLSearchParams({ q: f.query, k: String(SEARCH_K) })}`);
      items = hits.filter((h) => h.score >= MIN_SCORE && (!f.section || h.section === f.section) && suits(h.level, f.level));
    } else {
      const params = new URLSearchParams();
      if (f.section) params.set("section", f.section);
      if (f.level) params.set("level", f.level);
      const qs = params.toString();
      items = await getJSON(`/api/questions${qs ? `?${qs}` : ""}`);
    }
    if (seq !== state.listSeq) return;
    fillQuestionList(items, f);
    revealCurrent();
  } catch (error) {
    if (seq !== state.listSeq) return;
    state.lastQuery = null; // let the same request be tried again
    $("bank-list").replaceChildren();
    setStatus(`${f.query ? "The search failed" : "Could not load the questions"}: ${error.message}. Try again.`, "error");
  } finally {
    if (seq === state.listSeq) $("bank-list").removeAttribute("aria-busy");
  }
}

function describeFilters(f) {
  const parts = [];
  if (f.section) parts.push(sectionTitle(f.section));
  if (f.level) parts.push(`${f.level} level`);
  return parts.join(", ");
}

function fillQuestionList(items, f) {
  const list = $("bank-list");
  list.replaceChildren();
  const where = describeFilters(f);
  if (!items.length) {
    setStatus(f.query
      ? `No questions match “${f.query}”${where ? ` in ${where}` : ""}. Try other words or clear the filters.`
      : `No questions${where ? ` in ${where}` : ""}.`, "empty");
    return;
  }
  const count = `${items.length} question${items.length === 1 ? "" : "s"}`;
  setStatus(f.query ? `${count} matching “${f.query}”, best first${where ? ` (${where})` : ""}.`
    : `${count}${where ? ` · ${where}` : ""}.`);
  for (const item of items) {
    const li = el("li");
    const link = el("a", "bank-item");
    link.href = `#bank/${item.number}`;
    link.dataset.number = item.number;
    link.dataset.section = item.section;
    link.dataset.level = item.level;
    if (item.number === state.current) link.setAttribute("aria-current", "true");
    const number = el("span", "bank-num", `Q${item.number}`);
    const title = el("span", "bank-item-title", item.title);
    const meta = el("span", "bank-item-meta");
    if (!f.section) meta.appendChild(el("span", "bank-item-section", sectionTitle(item.section)));
    meta.appendChild(levelBadge(item.level));
    link.append(number, title, meta);
    li.appendChild(link);
    list.appendChild(li);
  }
}

// On desktop the list scrolls in its own pane: bring the open question into that pane's view (not the page's).
function revealCurrent() {
  const pane = document.querySelector(".bank-list-pane");
  const item = pane && pane.querySelector('.bank-item[aria-current="true"]');
  if (!item || pane.scrollHeight <= pane.clientHeight + 1) return;
  const top = item.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
  if (top < pane.scrollTop || top + item.offsetHeight > pane.scrollTop + pane.clientHeight) {
    pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
  }
}

function markCurrent() {
  for (const link of $("bank-list").querySelectorAll(".bank-item")) {
    if (Number(link.dataset.number) === state.current) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
}

// ---------------------------------------------------------------- an entry

function section(title, id) {
  const box = el("section", "bank-part");
  box.setAttribute("aria-labelledby", id);
  const h = el("h4", "", title);
  h.id = id;
  box.appendChild(h);
  return box;
}

function pre(text, cls = "") {
  const block = el("pre", `bank-pre ${cls}`.trim());
  block.tabIndex = 0; // a wide block scrolls inside its own box: the keyboard can scroll it too
  block.appendChild(el("code", "", text));
  return block;
}

function renderEntry(q) {
  const entry = $("bank-entry");
  entry.replaceChildren();
  entry.dataset.number = q.number;

  const back = el("a", "bank-back", "← All questions");
  back.href = "#bank";
  entry.appendChild(back);

  const meta = el("p", "bank-entry-meta");
  meta.append(el("span", "bank-num", `Q${q.number}`), el("span", "bank-entry-section", sectionTitle(q.section)),
    levelBadge(q.level));
  entry.appendChild(meta);

  const title = el("h3", "bank-entry-title", q.title);
  title.id = "bank-entry-title";
  title.tabIndex = -1;
  entry.appendChild(title);

  if (q.tags && q.tags.length) {
    const tags = el("ul", "bank-tags");
    tags.setAttribute("aria-label", "Tags");
    for (const tag of q.tags) tags.appendChild(el("li", "", tag));
    entry.appendChild(tags);
  }

  const actions = el("div", "bank-actions");
  const practise = el("button", "primary bank-practise", "Practise this question");
  practise.type = "button";
  practise.id = "bank-practise";
  practise.addEventListener("click", () => practiseQuestion(q.number, practise));
  actions.appendChild(practise);
  entry.appendChild(actions);

  if (q.assume) {
    const assume = el("p", "bank-assume");
    assume.appendChild(el("strong", "", "Assume: "));
    renderInline(q.assume, assume);
    entry.appendChild(assume);
  }

  const reference = section("Reference answer", "bank-h-reference");
  const body = el("div", "bank-reference reference-body");
  renderMarkdown(q.reference_answer, body); // wide tables come wrapped to scroll on their own (markdown.js)
  reference.appendChild(body);
  entry.appendChild(reference);

  const points = section("Key points", "bank-h-points");
  const pointList = el("ul", "bank-points");
  for (const point of q.key_points || []) pointList.appendChild(renderInline(point, el("li")));
  points.appendChild(pointList);
  entry.appendChild(points);

  if (q.task) entry.appendChild(taskPart(q));

  const follow = section("Follow-up questions", "bank-h-follow");
  const followList = el("ol", "bank-follow-ups");
  for (const f of q.follow_ups || []) {
    const li = el("li");
    li.appendChild(renderInline(f.question, el("p", "bank-fu-question")));
    const expects = el("p", "bank-fu-expects");
    expects.appendChild(el("span", "bank-label", "A good answer covers: "));
    renderInline(f.expects, expects);
    li.appendChild(expects);
    followList.appendChild(li);
  }
  follow.appendChild(followList);
  entry.appendChild(follow);

  const mistakes = section("Common mistakes", "bank-h-mistakes");
  const mistakeList = el("ul", "bank-mistakes");
  for (const m of q.mistakes || []) {
    const li = el("li");
    const claim = el("p", "bank-claim");
    claim.appendChild(el("span", "visually-hidden", "Mistake: "));
    renderInline(m.claim, claim);
    const correction = el("p", "bank-correction");
    correction.appendChild(el("span", "visually-hidden", "Correction: "));
    renderInline(m.correction, correction);
    li.append(claim, correction);
    mistakeList.appendChild(li);
  }
  mistakes.appendChild(mistakeList);
  entry.appendChild(mistakes);
}

function taskPart(q) {
  const part = section("Coding task", "bank-h-task");
  const names = el("p", "bank-task-entry");
  names.append("Implement ");
  q.task.entry.forEach((name, i) => {
    if (i) names.append(i === q.task.entry.length - 1 ? " and " : ", ");
    names.appendChild(el("code", "", name));
  });
  names.append(". The hidden tests call these names.");
  part.appendChild(names);
  part.appendChild(el("h5", "", "Starter code"));
  part.appendChild(pre(q.task.starter.replace(/\s+$/, ""), "bank-starter"));
  part.appendChild(el("h5", "", "Examples"));
  const examples = q.task.examples.map((e) => `>>> ${e.call}\n${e.expect}`).join("\n\n");
  part.appendChild(pre(examples, "bank-examples"));
  if (q.reference_solution) {
    const details = el("details", "bank-solution");
    details.appendChild(el("summary", "", "Show a reference solution"));
    details.appendChild(pre(q.reference_solution.replace(/\s+$/, "")));
    part.appendChild(details);
  }
  return part;
}

async function openEntry(number, { focus = true } = {}) {
  state.current = number;
  markCurrent();
  $("bank-layout").classList.add("has-entry");
  const entry = $("bank-entry");
  entry.hidden = false;
  $("bank-placeholder").hidden = true;
  const seq = ++state.entrySeq;
  let q = state.entries.get(number);
  if (!q) {
    entry.replaceChildren(el("p", "bank-loading", `Loading question ${number}…`));
    entry.setAttribute("aria-busy", "true");
    try {
      q = await getJSON(`/api/questions/${number}`);
      state.entries.set(number, q);
    } catch (error) {
      if (seq !== state.entrySeq) return;
      entry.removeAttribute("aria-busy");
      const back = el("a", "bank-back", "← All questions");
      back.href = "#bank";
      const message = el("p", "bank-error", error.status === 404
        ? `There is no question ${number} in the bank (numbers 1–120).` : `Could not load question ${number}: ${error.message}.`);
      message.setAttribute("role", "alert");
      entry.replaceChildren(back, message);
      return;
    }
    if (seq !== state.entrySeq) return;
    entry.removeAttribute("aria-busy");
  }
  renderEntry(q);
  document.title = `Q${q.number} · ${q.title} · Question bank`;
  revealCurrent();
  if (focus) {
    $("bank-entry-title").focus({ preventScroll: true });
    // The entry's top (its way back to the list) below the sticky header, unless it is already in view.
    if (entry.getBoundingClientRect().top < 0 || entry.getBoundingClientRect().top > innerHeight / 2) entry.scrollIntoView({ block: "start" });
  }
}

function closeEntry() {
  const previous = state.current;
  state.current = null;
  state.entrySeq++;
  markCurrent();
  $("bank-layout").classList.remove("has-entry");
  $("bank-entry").hidden = true;
  $("bank-entry").replaceChildren();
  $("bank-placeholder").hidden = false;
  document.title = TITLE;
  return previous;
}

// ---------------------------------------------------------------- practise, navigation

function clearHash(push) {
  const url = location.pathname + location.search;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

function practiseQuestion(number, button) {
  // The page's interview code listens for this and sends the start message with `numbers`.
  document.dispatchEvent(new CustomEvent("mi:practise", { detail: { numbers: [number] } }));
  clearHash(false);
  button.disabled = true;
  button.textContent = "Starting the interview…";
  // Normally the interview screen replaces this one; if nothing happens, the button comes back.
  setTimeout(() => {
    if (!button.isConnected) return;
    button.disabled = false;
    button.textContent = "Practise this question";
  }, 5000);
}

// The hash decides: #bank shows the list, #bank/<n> an entry; any other hash is not ours.
function route({ initial = false } = {}) {
  const match = location.hash.match(ROUTE);
  if (!match) {
    // Back (or a link) left the bank: return to the start screen if the bank was on screen.
    if (!$("bank-view").hidden) show("start-view");
    return;
  }
  const wasHidden = $("bank-view").hidden;
  show("bank-view");
  refreshList();
  if (match[1]) {
    const number = Number(match[1]);
    if (number !== state.current || wasHidden || !$("bank-entry").querySelector("#bank-entry-title")) openEntry(number, { focus: !initial });
  } else {
    const previous = closeEntry();
    // Back to the list: focus the question just read, or the bank's heading when the bank opens.
    const item = previous !== null && $("bank-list").querySelector(`.bank-item[data-number="${previous}"]`);
    if (item) item.focus();
    else if (wasHidden && !initial) $("bank-title").focus();
  }
}

function fillSelect(select, options) {
  for (const [value, label] of options) {
    const option = el("option", "", label);
    option.value = value;
    select.appendChild(option);
  }
}

export function initBank() {
  if (state.inited || !$("bank-view")) return;
  state.inited = true;
  TITLE = document.title;
  fillSelect($("bank-section"), Object.entries(SECTION_TITLES));
  fillSelect($("bank-level"), LEVELS.map((l) => [l, l[0].toUpperCase() + l.slice(1)]));
  restoreFilters();

  $("open-bank").addEventListener("click", (event) => {
    event.preventDefault();
    if (location.hash === "#bank") route();
    else location.hash = "bank";
  });
  $("bank-back-start").addEventListener("click", () => {
    clearHash(true);
    show("start-view");
    $("open-bank").focus();
  });
  $("bank-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshList({ force: true }); // Enter searches now
  });
  $("bank-search").addEventListener("input", () => {
    clearTimeout(state.timer);
    if (!$("bank-search").value.trim()) { refreshList(); return; } // empty: back to browsing at once
    state.timer = setTimeout(() => refreshList(), SEARCH_DELAY);
  });
  for (const id of ["bank-section", "bank-level"]) $(id).addEventListener("change", () => refreshList());
  window.addEventListener("hashchange", () => route());

  // Run after the rest of the page's start-up code (which shows the start screen), whatever the import order.
  queueMicrotask(() => {
    if (ROUTE.test(location.hash)) route({ initial: true }); // a reload or a shared link: no focus move
    // Another view took the screen (an interview started or resumed): the address no longer names the bank.
    new MutationObserver(() => {
      if ($("bank-view").hidden && ROUTE.test(location.hash)) clearHash(false);
    }).observe($("bank-view"), { attributes: true, attributeFilter: ["hidden"] });
  });
}
