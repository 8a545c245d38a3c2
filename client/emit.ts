/** Dispatch an `sb-*` event that bubbles and crosses shadow roots, as every component event does. */
export function emit<T>(el: EventTarget, name: `sb-${string}`, detail?: T): void {
  el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
