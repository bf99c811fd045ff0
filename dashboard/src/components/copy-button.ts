import { h } from '../dom.js';

/** A code block with a "Copy" button; the text is copied as it is shown. */
export function copyableCode(label: string, text: string, id: string): HTMLElement {
  const status = h('span', { class: 'copy-status', role: 'status' });
  const code = h('pre', { class: 'code', id, tabindex: '0', 'aria-label': label }, h('code', null, text));
  const button = h(
    'button',
    {
      type: 'button',
      class: 'copy',
      'aria-describedby': id,
      on: {
        click: function copyOnClick() {
          navigator.clipboard.writeText(text).then(
            () => void (status.textContent = 'Copied.'),
            () => void (status.textContent = 'Copy failed: select the text and copy it by hand.'),
          );
        },
      },
    },
    `Copy ${label.toLowerCase()}`,
  );
  return h('div', { class: 'copyable' }, h('div', { class: 'copyable-head' }, h('span', null, label), button, status), code);
}
