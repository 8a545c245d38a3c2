/** The events a host page can listen to, also dispatched as `sb-<name>` DOM events. */
export const EVENTS = ['ready', 'open', 'close', 'message', 'unread'] as const;
export type WidgetEvent = (typeof EVENTS)[number];

export const CHANNELS = ['web', 'app', 'modem'] as const;

/** Options of `Switchboard('boot', …)`. Keys other than these are the user's attributes. */
export interface BootOptions {
  brand: string;
  channel: (typeof CHANNELS)[number];
  identityToken?: string;
  locale?: string;
  attributes: Record<string, string | number | boolean>;
}

/** What the loader's commands drive; implemented by the <sb-chat> element. */
export interface WidgetController {
  boot(options: BootOptions): void;
  open(): void;
  close(): void;
  toggle(): void;
  identify(identityToken: string): void;
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  on(event: WidgetEvent, callback: (detail: unknown) => void): void;
  shutdown(): void;
}

/** The global function partners call. `q` holds calls made before the script arrived. */
export interface SwitchboardFn {
  (command: string, ...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  readonly version?: string;
}

const ATTRIBUTE_LIMIT = 50;

function fail(message: string): never {
  throw new TypeError(`Switchboard: ${message}`);
}

function attributesOf(value: unknown, where: string): Record<string, string | number | boolean> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object`);
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') fail(`attribute "${k}" must be a string, number or boolean`);
    if (typeof v === 'string' && v.length > 1000) fail(`attribute "${k}" is longer than 1000 characters`);
    out[k] = v;
  }
  if (Object.keys(out).length > ATTRIBUTE_LIMIT) fail(`at most ${ATTRIBUTE_LIMIT} attributes`);
  return out;
}

/** Check `boot` options and split the user's attributes from the widget's own keys. */
export function parseBoot(value: unknown): BootOptions {
  if (typeof value !== 'object' || value === null) fail("boot needs an options object: Switchboard('boot', { brand: 'your-brand' })");
  const { brand, channel = 'web', identityToken, locale, attributes, ...rest } = value as Record<string, unknown>;
  if (typeof brand !== 'string' || !brand) fail('boot needs `brand`, your brand key');
  if (!CHANNELS.includes(channel as BootOptions['channel'])) fail(`channel must be one of ${CHANNELS.join(', ')}`);
  if (identityToken !== undefined && (typeof identityToken !== 'string' || !identityToken)) fail('identityToken must be a non-empty string');
  if (locale !== undefined && typeof locale !== 'string') fail('locale must be a string like "en" or "ru"');
  const opts: BootOptions = {
    brand,
    channel: channel as BootOptions['channel'],
    attributes: { ...attributesOf(rest, 'boot options'), ...(attributes === undefined ? {} : attributesOf(attributes, 'attributes')) },
  };
  if (identityToken) opts.identityToken = identityToken as string;
  if (locale) opts.locale = locale as string;
  return opts;
}

/** Build the global `Switchboard(command, …args)` over a controller; bad calls throw a clear error. */
export function createApi(controller: WidgetController): SwitchboardFn {
  const api = (command: string, ...args: unknown[]): void => {
    switch (command) {
      case 'boot':
        return controller.boot(parseBoot(args[0]));
      case 'open':
        return controller.open();
      case 'close':
        return controller.close();
      case 'toggle':
        return controller.toggle();
      case 'identify':
        if (typeof args[0] !== 'string' || !args[0]) fail("identify needs the identity token: Switchboard('identify', token)");
        return controller.identify(args[0]);
      case 'setAttributes':
        return controller.setAttributes(attributesOf(args[0], 'setAttributes'));
      case 'on':
        if (!EVENTS.includes(args[0] as WidgetEvent)) fail(`on: event must be one of ${EVENTS.join(', ')}`);
        if (typeof args[1] !== 'function') fail('on: the second argument must be a function');
        return controller.on(args[0] as WidgetEvent, args[1] as (d: unknown) => void);
      case 'shutdown':
        return controller.shutdown();
      default:
        fail(`unknown command ${JSON.stringify(command)}; use boot, open, close, toggle, identify, setAttributes, on or shutdown`);
    }
  };
  return api as SwitchboardFn;
}

/**
 * Install the API as `win.Switchboard`, replaying calls queued before the script loaded. A second
 * copy of the script finds the API installed and does nothing.
 */
export function installGlobal(win: { Switchboard?: SwitchboardFn & { __sb?: true } }, controller: () => WidgetController, version: string): boolean {
  const existing = win.Switchboard;
  if (existing?.__sb) return false;
  const api = createApi({
    boot: (o) => controller().boot(o),
    open: () => controller().open(),
    close: () => controller().close(),
    toggle: () => controller().toggle(),
    identify: (t) => controller().identify(t),
    setAttributes: (a) => controller().setAttributes(a),
    on: (e, cb) => controller().on(e, cb),
    shutdown: () => controller().shutdown(),
  });
  const queued = existing?.q ? Array.from(existing.q) : [];
  Object.assign(api, { __sb: true, version });
  win.Switchboard = api as SwitchboardFn & { __sb: true };
  for (const call of queued) {
    const [command, ...args] = Array.from(call);
    try {
      api(command as string, ...args);
    } catch (err) {
      // A bad queued call must not stop the good ones after it; it is reported, not swallowed.
      console.error(err);
    }
  }
  return true;
}
