/** A child of `h()`: strings become text nodes (never parsed as HTML). */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  [attribute: string]: string | number | boolean | null | undefined | EventListener | Record<string, EventListener>;
}

/**
 * Creates an element. Attributes are set with `setAttribute`, children appended as nodes or text:
 * nothing from the network is ever interpreted as markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on' && typeof value === 'object') {
      for (const [event, listener] of Object.entries(value)) element.addEventListener(event, listener);
    } else if (typeof value === 'function') {
      throw new TypeError(`h(): use the "on" prop for listener ${name}`);
    } else if (name === 'value' && 'value' in element) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- props are text, numbers or booleans
      (element as HTMLInputElement).value = String(value);
    } else {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- props are text, numbers or booleans
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
