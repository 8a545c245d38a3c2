// The hosted chat page, /chat?brand=…&channel=app|modem|web — the widget full screen, for the
// mobile app's and the modem connection manager's WebViews. An identity token comes in the URL
// fragment (#identityToken=…), which never reaches a server log, or later via
// Switchboard('identify', token) from the app.
import type { BrandResponse } from '../../protocol';
import { pickLocale } from '../i18n';

const params = new URLSearchParams(location.search);
const hash = new URLSearchParams(location.hash.slice(1));
const brand = params.get('brand');
const channel = params.get('channel') ?? 'app';
const locale = params.get('locale');
const identityToken = hash.get('identityToken');

const main = document.querySelector('main')!;
if (!brand) {
  main.textContent = 'This page needs ?brand=<your brand key>.';
} else {
  const el = document.createElement('sb-chat');
  el.setAttribute('mode', 'page');
  document.body.appendChild(el);
  const script = document.createElement('script');
  script.src = `/widget.js?brand=${encodeURIComponent(brand)}`;
  script.dataset.boot = 'manual';
  script.onload = () => {
    // The page is the brand's: its <html lang> is the brand's language (or ?locale=, when the app
    // passes one the widget speaks), so screen readers pronounce it right. The widget reads <html
    // lang> right after boot's locale, so it speaks the language the page declares.
    const brandLocale = (window as unknown as { __SB_BRAND__?: BrandResponse }).__SB_BRAND__?.locale;
    document.documentElement.lang = pickLocale(locale, brandLocale);
    const sb = (window as unknown as { Switchboard: (cmd: string, opts: object) => void }).Switchboard;
    sb('boot', { brand, channel, ...(identityToken ? { identityToken } : {}), ...(locale ? { locale } : {}) });
    // The token is in memory now; drop it from the address bar so it is not shared by accident.
    if (identityToken) history.replaceState(null, '', location.pathname + location.search);
  };
  script.onerror = () => {
    main.textContent = `Unknown brand "${brand}".`;
  };
  document.head.appendChild(script);
  main.remove();
}
