// A small Markdown renderer that builds DOM nodes and never parses HTML: every piece of text goes through
// textContent, so whatever a candidate or a model wrote (<img onerror=...>, <script>) shows as text.
// Supports what the bank and the graders produce: paragraphs, headings, lists, tables, fenced code, inline
// code, bold, italics and math. Math ($...$ and \(...\) inline, $$...$$ and \[...\] display) is typeset by KaTeX
// (window.katex, loaded by the page from /static/vendor/katex/; it builds DOM nodes, and untrusted commands such
// as \href stay off); without KaTeX the math shows as its source text.

const el = (tag, cls) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  return node;
};

// Code spans and math are cut out first (so their `*` and `_` are not emphasis) and left as placeholders
// \uE000<n>\uE001 that the emphasis pass below passes through.
const OPEN = "\uE000", CLOSE = "\uE001";
const PLACEHOLDER = /\uE000(\d+)\uE001/;
const EMPHASIS = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|_[^_\s][^_]*_)/;
const SPACE = /\s/;

// Where an inline $...$ that opens at `start` (just after the $) closes, or -1. Like Pandoc: no space right inside
// either delimiter, the closing $ is not followed by a digit, and the math holds no other unescaped $, so a lone
// "$5" or "costs $5 and $10" stays prose.
function closingDollar(text, start) {
  if (start >= text.length || SPACE.test(text[start])) return -1;
  for (let j = start; j < text.length; j++) {
    if (text[j] === "\\") { j++; continue; }
    if (text[j] !== "$") continue;
    if (SPACE.test(text[j - 1]) || /[0-9]/.test(text[j + 1] || "")) return -1;
    return j;
  }
  return -1;
}

// Splits a line of Markdown into text with placeholders and the tokens (code spans and math) they stand for.
function tokenize(text) {
  const tokens = [];
  let out = "";
  const push = (token) => { out += `${OPEN}${tokens.length}${CLOSE}`; tokens.push(token); };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i + 1) { push({ code: text.slice(i + 1, end) }); i = end + 1; continue; }
    } else if (c === "\\" && text[i + 1] === "$") {
      out += "$"; // an escaped dollar is a dollar
      i += 2;
      continue;
    } else if (c === "\\" && (text[i + 1] === "(" || text[i + 1] === "[")) {
      const display = text[i + 1] === "[";
      const end = text.indexOf(display ? "\\]" : "\\)", i + 2);
      if (end > i + 2 && text.slice(i + 2, end).trim()) {
        push({ tex: text.slice(i + 2, end), display });
        i = end + 2;
        continue;
      }
    } else if (c === "$" && text[i + 1] === "$") {
      const end = text.indexOf("$$", i + 2);
      if (end > i + 2 && text.slice(i + 2, end).trim()) {
        push({ tex: text.slice(i + 2, end), display: true });
        i = end + 2;
      } else {
        out += "$$";
        i += 2;
      }
      continue;
    } else if (c === "$") {
      const end = closingDollar(text, i + 1);
      if (end > 0) { push({ tex: text.slice(i + 1, end), display: false }); i = end + 1; continue; }
    }
    out += c;
    i++;
  }
  return { text: out, tokens };
}

// Typesets `tex` into a span (inline) or div (display) with KaTeX; the source as text when KaTeX is missing or fails.
export function renderMath(tex, display = false, tag = display ? "div" : "span") {
  const node = el(tag, display ? "math math-display" : "math math-inline");
  const katex = typeof window !== "undefined" ? window.katex : undefined;
  if (katex && typeof katex.render === "function") {
    try {
      katex.render(tex.trim(), node, { displayMode: display, throwOnError: false, trust: false, strict: "ignore" });
      return node;
    } catch { node.replaceChildren(); /* below: the source, as text */ }
  }
  node.classList.add("math-source");
  node.textContent = display ? `$$${tex}$$` : `$${tex}$`;
  return node;
}

function tokenNode(token) {
  if (token.code !== undefined) {
    const code = el("code");
    code.textContent = token.code;
    return code;
  }
  return renderMath(token.tex, token.display, "span"); // inside a paragraph: display math is a block-level span
}

function appendText(text, tokens, parent) {
  const parts = text.split(PLACEHOLDER);
  parts.forEach((part, k) => {
    if (k % 2) {
      const token = tokens[Number(part)];
      if (token) parent.appendChild(tokenNode(token));
    } else if (part) {
      parent.appendChild(document.createTextNode(part));
    }
  });
}

function renderEmphasis(text, tokens, parent) {
  for (const part of text.split(EMPHASIS)) {
    if (!part) continue;
    if (part.length > 4 && part.startsWith("**") && part.endsWith("**")) {
      const strong = el("strong");
      renderEmphasis(part.slice(2, -2), tokens, strong);
      parent.appendChild(strong);
    } else if (part.length > 2 && ((part.startsWith("*") && part.endsWith("*")) || (part.startsWith("_") && part.endsWith("_")))) {
      const em = el("em");
      renderEmphasis(part.slice(1, -1), tokens, em);
      parent.appendChild(em);
    } else {
      appendText(part, tokens, parent);
    }
  }
}

export function renderInline(text, parent) {
  const { text: masked, tokens } = tokenize(String(text ?? "").replace(/[\uE000\uE001]/g, ""));
  renderEmphasis(masked, tokens, parent);
  return parent;
}

// Cells are split after code and math are cut out, so a `|` inside $...$ or `...` does not end a cell.
function tableFrom(lines) {
  const row = (line, tag) => {
    const tr = el("tr");
    const { text, tokens } = tokenize(line.trim().replace(/[\uE000\uE001]/g, ""));
    for (const cell of text.replace(/^\||\|$/g, "").split("|")) {
      const td = el(tag);
      renderEmphasis(cell.trim(), tokens, td);
      tr.appendChild(td);
    }
    return tr;
  };
  const table = el("table");
  const head = el("thead");
  head.appendChild(row(lines[0], "th"));
  table.appendChild(head);
  const body = el("tbody");
  for (const line of lines.slice(2)) body.appendChild(row(line, "td"));
  table.appendChild(body);
  return table;
}

export function renderMarkdown(source, container) {
  const lines = String(source ?? "").replace(/\r\n/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i++; continue; }
    if (line.trim().startsWith("```")) {
      const pre = el("pre");
      const code = el("code");
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith("```")) body.push(lines[i++]);
      i++;
      code.textContent = body.join("\n");
      pre.appendChild(code);
      container.appendChild(pre);
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      const h = el(`h${Math.min(6, heading[1].length + 3)}`);
      renderInline(heading[2], h);
      container.appendChild(h);
      i++;
      continue;
    }
    if (line.trim().startsWith("|") && i + 1 < lines.length && /^\s*\|?[\s:|-]+\|?\s*$/.test(lines[i + 1])) {
      const block = [];
      while (i < lines.length && lines[i].trim().startsWith("|")) block.push(lines[i++]);
      const scroll = el("div", "table-scroll"); // a wide table scrolls by itself, never the page
      scroll.tabIndex = 0; // and from the keyboard
      scroll.appendChild(tableFrom(block));
      container.appendChild(scroll);
      continue;
    }
    const bullet = /^\s*([-*+]|\d+[.)])\s+/;
    if (bullet.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const list = el(ordered ? "ol" : "ul");
      while (i < lines.length && bullet.test(lines[i])) {
        const li = el("li");
        let item = lines[i++].replace(bullet, "");
        // Indented lines that follow belong to the same item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !bullet.test(lines[i])) item += ` ${lines[i++].trim()}`;
        renderInline(item, li);
        list.appendChild(li);
      }
      container.appendChild(list);
      continue;
    }
    const para = [lines[i++].trim()]; // at least this line (a "|" line that is no table would otherwise stall)
    while (i < lines.length && lines[i].trim() && !bullet.test(lines[i]) && !lines[i].trim().startsWith("```")
           && !/^#{1,6}\s/.test(lines[i]) && !lines[i].trim().startsWith("|")) {
      para.push(lines[i++].trim());
    }
    const text = para.join(" ");
    const { text: masked, tokens } = tokenize(text.replace(/[\uE000\uE001]/g, ""));
    if (tokens.length === 1 && tokens[0].display && masked.trim() === `${OPEN}0${CLOSE}`) {
      container.appendChild(renderMath(tokens[0].tex, true)); // a paragraph that is one display formula
      continue;
    }
    const p = el("p");
    renderEmphasis(masked, tokens, p);
    container.appendChild(p);
  }
  return container;
}

// Candidate text: shown exactly as typed, never interpreted, in the text font; fenced code blocks (```) and
// `inline code` in monospace. `code`, when given (a coding answer's editor contents), follows as one code block.
export function renderPlain(text, container, code = null) {
  const wrap = el("div", "plain");
  let prose = [];
  const flush = () => {
    while (prose.length && !prose[0].trim()) prose.shift();
    while (prose.length && !prose[prose.length - 1].trim()) prose.pop();
    if (prose.length) {
      const div = el("div", "prose");
      const parts = prose.join("\n").split(/(`[^`\n]+`)/);
      parts.forEach((part, k) => {
        if (k % 2) {
          const inline = el("code");
          inline.textContent = part.slice(1, -1);
          div.appendChild(inline);
        } else if (part) {
          div.appendChild(document.createTextNode(part));
        }
      });
      wrap.appendChild(div);
    }
    prose = [];
  };
  const block = (body) => {
    const pre = el("pre", "code");
    const inner = el("code");
    inner.textContent = body;
    pre.appendChild(inner);
    wrap.appendChild(pre);
  };
  const lines = String(text ?? "").replace(/\r\n/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const fence = lines[i].match(/^\s*(`{3,}|~{3,})/);
    if (!fence) { prose.push(lines[i]); continue; }
    flush();
    const body = [];
    i++;
    while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
    block(body.join("\n"));
  }
  flush();
  if (code !== null && code !== undefined && String(code).trim()) block(String(code).replace(/\s+$/, ""));
  container.appendChild(wrap);
  return container;
}
