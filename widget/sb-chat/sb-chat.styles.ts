/**
 * Launcher styles, adopted as a constructable stylesheet (allowed under a strict CSP, unlike a
 * <style> element). Everything themable goes through --sb-* properties, falling back to the brand's.
 */
export const styles = `
:host {
  all: initial;
  position: fixed;
  z-index: 2147483000;
  bottom: var(--sb-offset-bottom, 20px);
  right: var(--sb-offset-side, 20px);
  font-family: var(--sb-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
}
:host([position=left]) { right: auto; left: var(--sb-offset-side, 20px); }
:host([mode=page]) { inset: 0; }
:host([hidden]) { display: none; }
button {
  all: unset;
  box-sizing: border-box;
  position: relative;
  display: grid;
  place-items: center;
  width: var(--sb-launcher-size, 60px);
  height: var(--sb-launcher-size, 60px);
  border-radius: var(--sb-launcher-radius, 50%);
  background: var(--sb-accent, var(--_brand-primary, #0b5fff));
  color: var(--sb-on-accent, var(--_brand-on-primary, #fff));
  box-shadow: 0 4px 16px rgb(0 0 0 / .25);
  cursor: pointer;
  transition: transform .15s;
}
button:hover { transform: scale(1.06); }
button:focus-visible { outline: 3px solid var(--sb-focus, #1b1f24); outline-offset: 3px; }
:host([mode=page]) button { display: none; }
/* On a phone the open panel is full screen: the bubble would sit on its composer. */
@media (max-width: 480px) { :host([open]) button { display: none; } }
svg { width: 28px; height: 28px; fill: currentColor; }
b {
  position: absolute;
  top: -4px;
  right: -4px;
  min-width: 22px;
  height: 22px;
  padding: 0 6px;
  box-sizing: border-box;
  border-radius: 11px;
  background: var(--sb-badge, #d1242f);
  color: #fff;
  font: 700 12px/22px var(--sb-font, system-ui, sans-serif);
  text-align: center;
}
b:empty { display: none; }
`;
