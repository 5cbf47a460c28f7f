// Formatting controls for the proposal body: django-prose-editor's ProseMirror (Tiptap) editor, served from our
// own static files (no CDN), over the form's textarea. Without JavaScript the textarea stays as it is. Only what
// policies/richtext.py keeps is offered; the server sanitises whatever arrives all the same.
//
// This is the package's createTextareaEditor with one change: Tiptap's base styles come from
// portal/rich-text.css instead of an injected <style> element, which our Content-Security-Policy refuses.
import {
  Blockquote,
  Bold,
  BulletList,
  Document,
  Dropcursor,
  Editor,
  Gapcursor,
  HardBreak,
  Heading,
  History,
  Italic,
  Link,
  ListItem,
  Menu,
  OrderedList,
  Paragraph,
  Text,
  Underline,
  initializeEditors,
} from "../django_prose_editor/editor.js";

const EXTENSIONS = [
  Document,
  Dropcursor,
  Gapcursor,
  Paragraph,
  HardBreak,
  Text,
  History,
  Menu,
  Heading.configure({ levels: [2, 3, 4] }),
  Bold,
  Italic,
  Underline,
  BulletList,
  OrderedList,
  ListItem,
  Blockquote,
  Link,
];

// An editor that is empty still holds one empty paragraph; the textarea then stays empty.
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function createEditor(textarea) {
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  return new Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    extensions: EXTENSIONS,
    content: textarea.value,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
}

initializeEditors(createEditor, "[data-rich-text]");
