/** Everything in `root` that Tab can reach, in order. */
export function focusables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
  );
}

/**
 * Keep Tab inside a modal surface (an inbox dialog, the widget's panel): the page behind may be
 * inert, but Tab would still walk out into the browser's own UI or the host page, which a keyboard
 * user then has to find their way back from.
 */
export function trapTab(e: KeyboardEvent, container: ParentNode, shadow: ShadowRoot): void {
  if (e.key !== 'Tab') return;
  const items = focusables(container);
  if (items.length === 0) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const active = shadow.activeElement;
  if (e.shiftKey && (active === first || !active || !items.includes(active as HTMLElement))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !items.includes(active as HTMLElement))) {
    e.preventDefault();
    first.focus();
  }
}
