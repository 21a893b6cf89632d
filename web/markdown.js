// A small Markdown renderer that builds DOM nodes and never parses HTML: every piece of text goes through
// textContent, so whatever a candidate or a model wrote (<img onerror=...>, <script>) shows as text.
// Supports what the bank and the graders produce: paragraphs, headings, lists, tables, fenced code, inline
// code, bold, italics and $math$ (shown as code).

const el = (tag, cls) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  return node;
};

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\$\$?[^$]+\$\$?|\*[^*\s][^*]*\*|_[^_\s][^_]*_)/;

export function renderInline(text, parent) {
  for (const part of text.split(INLINE)) {
    if (!part) continue;
    let node;
    if (part.startsWith("`") && part.endsWith("`")) {
      node = el("code");
      node.textContent = part.slice(1, -1);
    } else if (part.startsWith("$") && part.endsWith("$")) {
      node = el("code", "math");
      node.textContent = part.replace(/^\$+|\$+$/g, "");
    } else if (part.startsWith("**") && part.endsWith("**")) {
      node = el("strong");
      renderInline(part.slice(2, -2), node);
    } else if ((part.startsWith("*") && part.endsWith("*")) || (part.startsWith("_") && part.endsWith("_"))) {
      node = el("em");
      renderInline(part.slice(1, -1), node);
    } else {
      node = document.createTextNode(part);
    }
    parent.appendChild(node);
  }
}

function tableFrom(lines) {
  const cells = (line) => line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
  const table = el("table");
  const head = el("thead");
  const headRow = el("tr");
  for (const cell of cells(lines[0])) {
    const th = el("th");
    renderInline(cell, th);
    headRow.appendChild(th);
  }
  head.appendChild(headRow);
  table.appendChild(head);
  const body = el("tbody");
  for (const line of lines.slice(2)) {
    const tr = el("tr");
    for (const cell of cells(line)) {
      const td = el("td");
      renderInline(cell, td);
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
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
      container.appendChild(tableFrom(block));
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
    const para = [];
    while (i < lines.length && lines[i].trim() && !bullet.test(lines[i]) && !lines[i].trim().startsWith("```")
           && !/^#{1,6}\s/.test(lines[i]) && !lines[i].trim().startsWith("|")) {
      para.push(lines[i++].trim());
    }
    const p = el("p");
    renderInline(para.join(" "), p);
    container.appendChild(p);
  }
  return container;
}

// Candidate text: shown exactly as typed (code blocks kept), never interpreted.
export function renderPlain(text, container) {
  const pre = el("div", "plain");
  pre.textContent = text;
  container.appendChild(pre);
  return container;
}
