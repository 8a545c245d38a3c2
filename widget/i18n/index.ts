import { en } from './en';
import type { Plural, Strings } from './en';
import { ru } from './ru';

/** Every language the widget speaks. Adding one is adding its file and a line here. */
export const LANGUAGES: Record<string, Strings> = { en, ru };

type Key = { [K in keyof Strings]: Strings[K] extends string ? K : never }[keyof Strings];
type PluralKey = { [K in keyof Strings]: Strings[K] extends string ? never : K }[keyof Strings];

/**
 * Choose the language: what `boot` asked for, then the host page's `<html lang>`, then the
 * browser's, then the brand's default, then English.
 */
export function pickLocale(...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) {
    const base = c?.toLowerCase().split(/[-_]/)[0];
    if (base && LANGUAGES[base]) return base;
  }
  return 'en';
}

/**
 * The locale to write times and dates in: the most specific of the candidates that speaks the
 * chosen language, so a page in "en" read in an en-GB browser shows 16:05, not 4:05 PM.
 */
export function formatLocale(language: string, ...candidates: (string | null | undefined)[]): string {
  let best = language;
  for (const c of candidates) {
    if (c && c.toLowerCase().split(/[-_]/)[0] === language && c.length > best.length) best = c.replace('_', '-');
  }
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(best).length ? best : language;
  } catch {
    return language;
  }
}

/** Strings, plurals, times and dates in one locale. */
export class I18n {
  readonly strings: Strings;
  private readonly plurals: Intl.PluralRules;
  private readonly time: Intl.DateTimeFormat;
  private readonly date: Intl.DateTimeFormat;
  private readonly longDate: Intl.DateTimeFormat;

  /** `locale` picks the strings; `region` (e.g. en-GB) the clock and date conventions within it. */
  constructor(
    readonly locale: string,
    region: string = locale,
  ) {
    this.strings = LANGUAGES[locale] ?? en;
    this.plurals = new Intl.PluralRules(locale);
    this.time = new Intl.DateTimeFormat(region, { hour: '2-digit', minute: '2-digit' });
    this.date = new Intl.DateTimeFormat(region, { day: 'numeric', month: 'long' });
    this.longDate = new Intl.DateTimeFormat(region, { day: 'numeric', month: 'long', year: 'numeric' });
  }

  /** A string with {placeholders} filled. */
  t(key: Key, vars: Record<string, string | number> = {}): string {
    return fill(this.strings[key] as string, vars);
  }

  /** A plural string chosen by the language's rules for `n`. */
  n(key: PluralKey, n: number, vars: Record<string, string | number> = {}): string {
    const forms = this.strings[key] as Plural;
    return fill(forms[this.plurals.select(n)] ?? forms.other, { n, ...vars });
  }

  /** Clock time, e.g. 14:30 or 2:30 PM. */
  clock(ms: number): string {
    return this.time.format(ms);
  }

  /** The full date with its year, e.g. a complaint's due date. */
  fullDate(ms: number): string {
    return this.longDate.format(ms);
  }

  /** Today, Yesterday, or the date. */
  day(ms: number, now = Date.now()): string {
    const d = new Date(ms).toDateString();
    if (d === new Date(now).toDateString()) return this.strings.today;
    if (d === new Date(now - 86_400_000).toDateString()) return this.strings.yesterday;
    return this.date.format(ms);
  }
}

function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}
