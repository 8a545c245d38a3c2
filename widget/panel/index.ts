// The lazily loaded half of the widget: the connection, the Lit panel and the strings. The
// launcher imports this module on first hover, focus or click (or in the background for a
// returning visitor) and hands itself over.
import { html, render, nothing } from 'lit';
import type { BrandResponse, PresenceResponse } from '../../protocol';
import type { BootOptions } from '../core/api';
import { ChatConnection } from '../core/connection';
import { browserStorage } from '../../client/storage';
import { I18n, formatLocale, pickLocale } from '../i18n';
import { defineSbPanel } from '../sb-panel/sb-panel';
import type { SbChat } from '../sb-chat/sb-chat';

defineSbPanel();

/** A customer's live chat inside one launcher. */
export interface PanelSession {
  connection: ChatConnection;
  online: number | null;
}

/** The module's exports, as the launcher imports them. */
export interface PanelModule {
  start(host: SbChat, options: BootOptions): PanelSession;
  paint(host: SbChat): void;
  labels(host: SbChat): { open: string; close: string; unread: string };
}

const i18nCache = new Map<string, I18n>();
/**
 * Topics of a brand that has none, or whose long-cached description predates them; one list, so
 * such a brand does not re-render the panel on every paint.
 */
const NO_TOPICS: BrandResponse['topics'] = [];

/** The language: boot's, then the page's <html lang>, then the browser's, then the brand's; times as the reader writes them. */
function i18nFor(host: SbChat): I18n {
  const candidates = [host.options?.locale, document.documentElement.lang, navigator.language, host.brandInfo?.locale];
  const locale = pickLocale(...candidates);
  const region = formatLocale(locale, ...candidates);
  let i = i18nCache.get(region);
  if (!i) i18nCache.set(region, (i = new I18n(locale, region)));
  return i;
}

/** Start a customer's session for the launcher; brand and presence are fetched alongside. */
export function start(host: SbChat, options: BootOptions): PanelSession {
  const connection = new ChatConnection({
    base: host.base,
    brand: options.brand,
    channel: options.channel,
    ...(options.identityToken ? { identityToken: options.identityToken } : {}),
    attributes: options.attributes,
    storage: browserStorage(),
  });
  const session: PanelSession = { connection, online: null };
  host.session = session;
  const brandUrl = `${host.base}/v1/widget/brands/${encodeURIComponent(options.brand)}`;
  if (!host.brandInfo) {
    void fetch(brandUrl)
      .then((r) => (r.ok ? (r.json() as Promise<BrandResponse>) : null))
      .then((b) => {
        if (b && host.options?.brand === b.key) {
          host.brandInfo = b;
          host.paint();
        }
      })
      .catch(() => {});
  }
  void fetch(`${brandUrl}/presence`, { cache: 'no-store' })
    .then((r) => (r.ok ? (r.json() as Promise<PresenceResponse>) : null))
    .then((p) => {
      session.online = p ? p.agentsOnline : null;
      host.paint();
    })
    .catch(() => {});
  connection.addEventListener('change', () => {
    const seen = host.open && document.visibilityState === 'visible';
    const unread = seen ? 0 : connection.unread();
    if (unread !== host.unread) {
      host.unread = unread;
      host.emit('unread', { count: unread });
    }
    host.paint();
  });
  connection.addEventListener('message', (e) => host.emit('message', (e as CustomEvent).detail));
  connection.addEventListener('ready', () => host.emit('ready', { conversationId: connection.conversationId }));
  connection.start();
  host.paint();
  return session;
}

/** Render the open panel into the launcher (or remove it when closed). */
export function paint(host: SbChat): void {
  const s = host.session;
  render(
    host.open && s ? html`<sb-panel .connection=${s.connection} .i18n=${i18nFor(host)} .host=${host} .online=${s.online} .topics=${host.brandInfo?.topics ?? NO_TOPICS} ?page=${host.mode === 'page'} position=${host.getAttribute('position') ?? 'right'}></sb-panel>` : nothing,
    host.panelRoot,
  );
}

/** The launcher's accessible labels in the chosen language. */
export function labels(host: SbChat): { open: string; close: string; unread: string } {
  const i = i18nFor(host);
  return { open: i.t('openChat'), close: i.t('closeChat'), unread: host.unread ? i.n('unread', host.unread) : '' };
}
