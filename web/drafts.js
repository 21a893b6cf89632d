// Half-written answers, kept in this browser per session and question until they are sent, so a reload or a
// dropped connection loses nothing.
const PREFIX = "mi.draft.";
const MAX_AGE_MS = 7 * 24 * 3600 * 1000; // drafts of long-gone sessions are cleared

// One key per asked turn: a follow-up of the same question is a different draft.
export function draftKey(sessionId, q) {
  if (!sessionId || !q) return null;
  return `${PREFIX}${sessionId}.${q.number}.${q.kind}.${q.follow_up_number || 0}`;
}

export function saveDraft(key, text, code) {
  if (!key) return;
  try {
    if (!text.trim() && !(code && code.trim())) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ text, code, saved: Date.now() }));
  } catch { /* storage full or off: drafts are a nicety */ }
}

export function loadDraft(key) {
  if (!key) return null;
  try { return JSON.parse(localStorage.getItem(key) || "null"); } catch { return null; }
}

export function dropDraft(key) {
  if (key) localStorage.removeItem(key);
}

export function pruneDrafts() {
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (!key || !key.startsWith(PREFIX)) continue;
    const draft = loadDraft(key);
    if (!draft || Date.now() - (draft.saved || 0) > MAX_AGE_MS) localStorage.removeItem(key);
  }
}
