// The page's code editor: CodeMirror 6 with Python, line numbers, bracket matching and Tab to indent.
// Bundled by `make editor` (esbuild) into web/vendor/editor.js, which exposes `window.MIEditor.create`.
import { basicSetup, EditorView } from "codemirror";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";

// `onSubmit` runs on Ctrl/Cmd+Enter, the only key that submits; Tab indents (Escape then Tab leaves the editor).
// `onChange` runs after each edit (the page keeps a draft of the code).
export function create(parent, { doc = "", onSubmit = () => {}, onChange = () => {} } = {}) {
  const submit = { key: "Mod-Enter", run: () => { onSubmit(); return true; } };
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      basicSetup, keymap.of([submit, indentWithTab]), python(), EditorView.lineWrapping,
      EditorView.updateListener.of((update) => { if (update.docChanged) onChange(); }),
    ],
  });
  return {
    view,
    get value() { return view.state.doc.toString(); },
    set value(text) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); },
    focus() { view.focus(); },
    destroy() { view.destroy(); },
  };
}
