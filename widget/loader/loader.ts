// widget.js — the only script a partner's page loads up front. It installs the queued global
// `Switchboard(...)`, registers <sb-chat>, and shows the bubble without any other request.
import type { BrandResponse } from '../../protocol';
import { installGlobal, parseBoot } from '../core/api';
import type { BootOptions } from '../core/api';
import { defineSbChat } from '../sb-chat/sb-chat';
import type { SbChat } from '../sb-chat/sb-chat';

declare const __SB_VERSION__: string;

type Win = Window & typeof globalThis & { __SB_BRAND__?: BrandResponse };

const win = window as Win;
defineSbChat();

const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src ? new URL(script.src).origin : location.origin;
const inlineBrand = win.__SB_BRAND__;

/** The page's <sb-chat>: the one the page wrote, or one we add to <body>. */
function element(): SbChat {
  let el = document.querySelector('sb-chat');
  if (!el) {
    el = document.createElement('sb-chat');
    (document.body ?? document.documentElement).appendChild(el);
  }
  el.base ||= base;
  return el;
}

function boot(options: BootOptions): void {
  const el = element();
  if (inlineBrand?.key === options.brand && !el.brandInfo) el.brandInfo = inlineBrand;
  if (el.getAttribute('mode') === 'page' || document.documentElement.dataset.sbMode === 'page') el.setAttribute('mode', 'page');
  el.bootWith(options);
}

installGlobal(
  win as unknown as Parameters<typeof installGlobal>[0],
  () => {
    const el = element();
    return {
      boot,
      open: () => el.openPanel(),
      close: () => el.closePanel(),
      toggle: () => el.toggle(),
      identify: (t) => el.identify(t),
      setAttributes: (a) => el.setAttributes(a),
      on: (e, cb) => el.on(e, cb),
      shutdown: () => el.shutdown(),
    };
  },
  __SB_VERSION__,
);

// <script src=".../widget.js?brand=x" data-channel="web"> boots by itself; `data-boot="manual"` waits
// for the page to call Switchboard('boot', …) (to pass an identity token, say).
const autoBrand = script?.dataset.brand ?? (script?.src ? new URL(script.src).searchParams.get('brand') : null);
if (autoBrand && script?.dataset.boot !== 'manual' && !document.querySelector('sb-chat')?.hasAttribute('brand')) {
  const start = () => boot(parseBoot({ brand: autoBrand, channel: script?.dataset.channel ?? 'web', ...(script?.dataset.locale ? { locale: script.dataset.locale } : {}) }));
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
