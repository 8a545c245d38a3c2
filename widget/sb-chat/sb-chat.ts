import type { BrandResponse } from '../../protocol';
import type { BootOptions, WidgetEvent } from '../core/api';
import { emit } from '../../client/emit';
import { browserStorage } from '../../client/storage';
import type { PanelModule, PanelSession } from '../panel/index';
import { styles } from './sb-chat.styles';

declare const __SB_PANEL_URL__: string;

const CHAT = '<path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/>';
const CLOSE = '<path d="M6 5 5 6l6 6-6 6 1 1 6-6 6 6 1-1-6-6 6-6-1-1-6 6z"/>';

let sheet: CSSStyleSheet | undefined;

/**
 * The Switchboard launcher: a branded bubble that opens the chat panel. Deliberately plain DOM, not
 * Lit: the bubble is all a host page pays for up front, so it carries no framework. The panel
 * (a Lit component, <sb-panel>) and its Lit are fetched on first hover, focus or click.
 *
 * @event sb-ready - the conversation is connected; detail: { conversationId }
 * @event sb-open - the panel opened
 * @event sb-close - the panel closed
 * @event sb-message - a message from an agent arrived; detail: the message
 * @event sb-unread - the unread count changed; detail: { count }
 * @csspart launcher - the round button
 * @csspart badge - the unread counter on it
 * @cssproperty --sb-accent - brand colour of the launcher, the panel's header and own messages
 * @cssproperty --sb-on-accent - text and icon colour on the accent
 * @cssproperty --sb-font - font family
 * @cssproperty --sb-launcher-size - launcher diameter (60px)
 * @cssproperty --sb-launcher-radius - launcher corner radius (50%)
 * @cssproperty --sb-offset-bottom - distance from the bottom of the window (20px)
 * @cssproperty --sb-offset-side - distance from the side of the window (20px)
 * @cssproperty --sb-badge - unread badge colour
 * @cssproperty --sb-focus - focus ring colour
 */
export class SbChat extends HTMLElement {
  /** Base URL of the Switchboard server, from the script's own URL. */
  base = '';
  brandInfo: BrandResponse | null = null;
  options: BootOptions | null = null;
  open = false;
  unread = 0;
  panel: PanelModule | null = null;
  session: PanelSession | null = null;
  private listeners: Partial<Record<WidgetEvent, ((d: unknown) => void)[]>> = {};
  private loading: Promise<PanelModule> | undefined;
  private readonly button: HTMLButtonElement;
  private readonly badge: HTMLElement;
  /** Where the panel renders, before the button so Tab order reads panel → launcher. */
  readonly panelRoot: HTMLElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(styles);
    root.adoptedStyleSheets = [sheet];
    this.panelRoot = document.createElement('div');
    this.button = document.createElement('button');
    this.button.setAttribute('part', 'launcher');
    this.button.setAttribute('aria-haspopup', 'dialog');
    this.badge = document.createElement('b');
    this.badge.setAttribute('part', 'badge');
    this.badge.setAttribute('aria-hidden', 'true');
    this.button.onclick = () => this.toggle();
    this.button.onpointerenter = this.button.onfocus = () => void this.prefetch();
    root.append(this.panelRoot, this.button);
    this.paint();
  }

  /** `launcher` (default) floats a bubble; `page` fills the window, for app and modem WebViews. */
  get mode(): 'launcher' | 'page' {
    return this.getAttribute('mode') === 'page' ? 'page' : 'launcher';
  }

  /** Start for a brand: the bubble shows at once and nothing is fetched yet. */
  bootWith(options: BootOptions): void {
    const switched = this.options && (this.options.brand !== options.brand || this.options.identityToken !== options.identityToken);
    this.options = options;
    this.setAttribute('brand', options.brand);
    if (this.brandInfo?.key !== options.brand) this.brandInfo = null;
    if (switched) {
      this.session?.connection.stop();
      this.session = null;
    }
    if (this.mode === 'page') this.open = true;
    this.paint();
    // A returning visitor may have unread replies: connect in the background once the page is idle.
    if (this.open || browserStorage().get(`sb:${options.brand}:visitor`)) setTimeout(() => void this.connect(), this.open ? 0 : 1500);
  }

  openPanel(): void {
    if (this.open) return;
    this.open = true;
    this.paint();
    void this.connect();
    this.emit('open', null);
  }

  closePanel(): void {
    if (!this.open || this.mode === 'page') return;
    this.open = false;
    this.paint();
    this.button.focus();
    this.emit('close', null);
  }

  toggle(): void {
    if (this.open) this.closePanel();
    else this.openPanel();
  }

  identify(identityToken: string): void {
    if (!this.options) throw new TypeError('Switchboard: boot first');
    this.options = { ...this.options, identityToken };
    this.session?.connection.identify(identityToken);
  }

  setAttributes(attributes: BootOptions['attributes']): void {
    if (!this.options) throw new TypeError('Switchboard: boot first');
    this.options = { ...this.options, attributes: { ...this.options.attributes, ...attributes } };
    this.session?.connection.setAttributes(attributes);
  }

  on(event: WidgetEvent, callback: (detail: unknown) => void): void {
    (this.listeners[event] ??= []).push(callback);
  }

  /** Forget the device (visitor token, outbox), close everything and remove the bubble. */
  shutdown(): void {
    this.session?.connection.forget();
    const s = browserStorage();
    if (this.options) for (const k of ['visitor', 'outbox', 'read', 'topic']) s.remove(`sb:${this.options.brand}:${k}`);
    this.session = null;
    this.remove();
  }

  /** Fetch the panel's code once; called on hover and focus so a click opens without waiting. */
  prefetch(): Promise<PanelModule> {
    return (this.loading ??= (import(new URL(__SB_PANEL_URL__, this.base || location.href).href) as Promise<PanelModule>).then((m) => (this.panel = m)));
  }

  /** Re-draw the launcher and the panel from current state. */
  paint(): void {
    const b = this.brandInfo?.branding;
    // Brand colours go on internal variables through CSSOM (fine under a strict CSP); a partner's own
    // --sb-accent on the element still wins over them.
    if (b?.primary) this.style.setProperty('--_brand-primary', b.primary);
    if (b?.onPrimary) this.style.setProperty('--_brand-on-primary', b.onPrimary);
    if (b?.position && !this.hasAttribute('position')) this.setAttribute('position', b.position);
    const labels = this.panel?.labels(this) ?? { open: 'Open chat', close: 'Close chat', unread: '' };
    this.button.setAttribute('aria-label', this.open ? labels.close : labels.unread ? `${labels.open}. ${labels.unread}` : labels.open);
    this.button.setAttribute('aria-expanded', String(this.open));
    // For the stylesheet: on a phone the open panel covers the screen and the bubble steps aside.
    this.toggleAttribute('open', this.open);
    this.button.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true">${this.open ? CLOSE : CHAT}</svg>`;
    this.badge.textContent = this.unread ? (this.unread > 99 ? '99+' : String(this.unread)) : '';
    this.button.append(this.badge);
    this.panel?.paint(this);
  }

  /** Tell the page: an `sb-*` event on the element and on window, and the `on` callbacks. */
  emit(name: WidgetEvent, detail: unknown): void {
    emit(this, `sb-${name}`, detail);
    window.dispatchEvent(new CustomEvent(`sb-${name}`, { detail }));
    for (const cb of this.listeners[name] ?? []) {
      try {
        cb(detail);
      } catch (err) {
        console.error(err);
      }
    }
  }

  private async connect(): Promise<void> {
    if (!this.options || this.session) return;
    const m = await this.prefetch();
    if (!this.session && this.options) m.start(this, this.options);
  }
}

/** Register <sb-chat> once, however many copies of the script a page loads. */
export function defineSbChat(): void {
  if (!customElements.get('sb-chat')) customElements.define('sb-chat', SbChat);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-chat': SbChat;
  }
}
