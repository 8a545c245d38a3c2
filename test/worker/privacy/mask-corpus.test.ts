import { describe, expect, it } from 'vitest';
import { maskAttributes, maskRecord, maskText, maskValue } from '../../../worker/privacy/mask';

/**
 * Each case is a text and the secret inside it (as the customer wrote it). Whatever the writing,
 * no three consecutive digits of the secret may survive: only its last two stay readable.
 */
const SECRETS: { name: string; text: string; secret: string; card?: true }[] = [
  // Russian phones
  { name: 'E.164 with brackets and dashes', text: 'call me on +7 (916) 123-45-67 please', secret: '+7 (916) 123-45-67' },
  { name: 'E.164 plain', text: 'мой номер +79161234567', secret: '+79161234567' },
  { name: 'national 8 prefix', text: 'my number is 89161234567', secret: '89161234567' },
  { name: 'national with spaces', text: 'звоните 8 916 123 45 67 после обеда', secret: '8 916 123 45 67' },
  { name: 'national with dashes', text: 'тел. 8-916-123-45-67', secret: '8-916-123-45-67' },
  { name: 'E.164 with spaces', text: 'номер +7 916 123 45 67', secret: '+7 916 123 45 67' },
  { name: 'slashes', text: 'номер 916/123/45/67', secret: '916/123/45/67' },
  { name: 'underscores', text: 'номер 916_123_45_67', secret: '916_123_45_67' },
  { name: 'dots', text: 'номер 916.123.45.67', secret: '916.123.45.67' },
  { name: 'area code in brackets', text: 'номер (916) 123 45 67', secret: '(916) 123 45 67' },
  { name: 'square brackets', text: 'номер [916] 123-45-67', secret: '[916] 123-45-67' },
  { name: 'spaced dashes', text: 'номер +7 - 916 - 123 - 45 - 67', secret: '+7 - 916 - 123 - 45 - 67' },
  { name: 'no-break spaces', text: 'номер +7\u00a0916\u00a0123\u00a045\u00a067', secret: '+7\u00a0916\u00a0123\u00a045\u00a067' },
  { name: 'narrow no-break spaces', text: 'номер +7\u202f916\u202f123\u202f45\u202f67', secret: '+7\u202f916\u202f123\u202f45\u202f67' },
  { name: 'en dashes', text: 'номер +7 916 123–45–67', secret: '+7 916 123–45–67' },
  { name: 'zero-width spaces', text: 'номер 8\u200b916\u200b123\u200b45\u200b67', secret: '8\u200b916\u200b123\u200b45\u200b67' },
  { name: 'soft hyphens', text: 'номер 8916\u00ad123\u00ad4567', secret: '8916\u00ad123\u00ad4567' },
  { name: 'keycap emoji', text: 'номер 8️⃣9️⃣1️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣', secret: '8️⃣9️⃣1️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣' },
  { name: 'fullwidth digits', text: 'номер ＋７ ９１６ １２３ ４５ ６７', secret: '＋７ ９１６ １２３ ４５ ６７' },
  { name: 'fullwidth brackets and hyphens', text: 'номер ８（９１６）１２３－４５－６７', secret: '８（９１６）１２３－４５－６７' },
  { name: 'Arabic-Indic digits', text: 'رقمي ٨٩١٦١٢٣٤٥٦٧', secret: '٨٩١٦١٢٣٤٥٦٧' },
  { name: 'Extended Arabic-Indic digits', text: 'شماره ۸۹۱۶۱۲۳۴۵۶۷', secret: '۸۹۱۶۱۲۳۴۵۶۷' },
  { name: 'Devanagari digits', text: 'नंबर ८९१६१२३४५६७', secret: '८९१६१२३४५६७' },
  { name: 'mathematical bold digits', text: 'номер 𝟖𝟗𝟏𝟔𝟏𝟐𝟑𝟒𝟓𝟔𝟕', secret: '𝟖𝟗𝟏𝟔𝟏𝟐𝟑𝟒𝟓𝟔𝟕' },
  { name: 'mixed scripts', text: 'номер 8 ９16 １23 ٤5 67', secret: '8 ９16 １23 ٤5 67' },
  { name: 'glued to words', text: 'звоните89161234567срочно', secret: '89161234567' },
  { name: 'international 00 prefix', text: 'from abroad: 00 7 916 1234567', secret: '00 7 916 1234567' },
  { name: 'seven-digit local', text: 'городской 123-45-67', secret: '123-45-67' },
  { name: 'tel: link', text: 'tel:+79161234567', secret: '+79161234567' },
  { name: 'inside an e-mail address', text: 'пишите на ivan89161234567@mail.ru', secret: '89161234567' },
  { name: 'next to a time', text: 'перезвоните на 8 916 123 45 67 в 16:30', secret: '8 916 123 45 67' },
  // Other countries
  { name: 'US', text: 'reach me at +1 (415) 555-2671', secret: '+1 (415) 555-2671' },
  { name: 'UK', text: 'ring +44 20 7946 0958', secret: '+44 20 7946 0958' },
  { name: 'Germany', text: 'Tel. +49 30 901820', secret: '+49 30 901820' },
  { name: 'Kazakhstan dots', text: 'нөмір +7.701.234.56.78', secret: '+7.701.234.56.78' },
  // Russian passports and documents
  { name: 'серия … номер …', text: 'паспорт серия 4510 номер 123456', secret: '4510 номер 123456' },
  { name: 'серия alone first', text: 'серия 4510 номер 123456', secret: '4510 номер 123456' },
  { name: 'паспорт series number', text: 'паспорт 4510 123456', secret: '4510 123456' },
  { name: 'number sign glued', text: 'паспорт 4510№123456', secret: '4510№123456' },
  { name: 'number sign glued, no word', text: 'вот: 4510№123456', secret: '4510№123456' },
  { name: 'number sign spaced', text: 'данные 4510 № 123456', secret: '4510 № 123456' },
  { name: 'series split in two', text: 'паспорт РФ 45 10 123456', secret: '45 10 123456' },
  { name: 'with colon and comma', text: 'Серия: 4510, №123456', secret: '4510, №123456' },
  { name: 'English words', text: 'passport series 4510 number 123456', secret: '4510 number 123456' },
  { name: 'passport number alone', text: 'номер паспорта 123456', secret: '123456' },
  { name: 'паспорт серии … №', text: 'паспорт серии 4510 № 123456 выдан', secret: '4510 № 123456' },
  { name: 'series-number dash', text: 'passport 4510-123456', secret: '4510-123456' },
  { name: 'lettered document', text: 'id card XY 654321', secret: 'XY 654321' },
  { name: 'lettered document, long', text: 'document AB1234567 expired', secret: '1234567' },
  { name: 'SNILS', text: 'СНИЛС 112-233-445 95', secret: '112-233-445 95' },
  // Bank cards (Luhn-valid)
  { name: 'Visa with spaces', text: 'карта 4111 1111 1111 1111', secret: '4111 1111 1111 1111', card: true },
  { name: 'Mastercard with dashes', text: 'card 5555-5555-5555-4444', secret: '5555-5555-5555-4444', card: true },
  { name: 'Amex 15 digits', text: 'amex 3782 822463 10005', secret: '3782 822463 10005', card: true },
  { name: 'Visa 13 digits', text: 'card 4222222222222', secret: '4222222222222', card: true },
  { name: 'Mir 16 digits plain', text: 'карта мир 2200770212727079', secret: '2200770212727079', card: true },
  { name: 'card 19 digits', text: 'карта 6011 0009 9013 9424 124', secret: '6011 0009 9013 9424 124', card: true },
  { name: 'fullwidth card', text: 'カード ４１１１ １１１１ １１１１ １１１１', secret: '４１１１ １１１１ １１１１ １１１１', card: true },
];

/** Texts an agent must read as written: amounts, times, dates, codes, our ids. */
const ORDINARY = [
  'ticket 12345',
  'I paid 1 500 rubles',
  'Оплатил 250 рублей',
  'order #998877',
  'see you at 14:30 on 22.11',
  'в 16:30',
  'с 9:00 до 21:00',
  '2026-11-29',
  '29.11.2026',
  '29/11/2026',
  'встреча 2026-11-29 в 16:30',
  '2026-11-29T16:30:00Z',
  'с 10.12.2025 по 15.01.2026',
  'с 10.12.2025 – 15.01.2026',
  'Тариф 350 ₽ в месяц, 15 ГБ',
  'Списали 1 250 000 ₽ за год?!',
  'долг 1 250 000 руб.',
  '$1,250,000',
  'version 4.2.1',
  'Ошибка 651 при подключении',
  'код ошибки 0x80070005',
  'Speed 100 Mbit/s, 20/10',
  '3G/4G/5G',
  'Room 404, floor 3',
  'conversation 0190a000-0000-7000-8000-000000000001',
  'Баланс -150.50 руб',
  'Привет! Интернет не работает с утра.',
  '',
];

/** Digits as their values, with separators and invisible marks removed, so runs can be compared. */
function digitsOnly(s: string): string {
  return Array.from(s.normalize('NFKC'))
    .map((c) => (/\p{Nd}/u.test(c) ? String(digitOf(c)) : /[•]/u.test(c) ? '•' : /\p{L}/u.test(c) ? '|' : ''))
    .join('');
}

function digitOf(c: string): number {
  const cp = c.codePointAt(0)!;
  let zero = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
  return (cp - zero) % 10;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

describe('maskText corpus', () => {
  it('has at least 40 formats', () => {
    expect(SECRETS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(SECRETS)('masks $name', ({ text, secret }) => {
    expect(text).toContain(secret);
    const secretDigits = digitsOnly(secret).replace(/\D/g, '');
    const { text: out, masked } = maskText(text);
    expect(masked).toBe(true);
    // Length-stable in code points: the agent sees the customer's layout.
    expect(Array.from(out).length).toBe(Array.from(text).length);
    for (const run of digitsOnly(out).match(/\d{3,}/g) ?? []) {
      for (let i = 0; i + 3 <= run.length; i++) expect(secretDigits, `"${out}" shows ${run}`).not.toContain(run.slice(i, i + 3));
    }
    // The last two digits stay, so the agent can say "the number ending in 67".
    expect(digitsOnly(out)).toContain(`•${secretDigits.slice(-2)}`);
  });

  it('masks every card of the corpus, and the card cases are Luhn-valid', () => {
    const cards = SECRETS.filter((c) => c.card);
    expect(cards.length).toBeGreaterThanOrEqual(6);
    for (const c of cards) expect(luhn(digitsOnly(c.secret).replace(/\D/g, '')), c.name).toBe(true);
  });

  it.each(ORDINARY)('leaves %j alone', (text) => {
    expect(maskText(text)).toEqual({ text, masked: false });
  });

  it('keeps the customer\'s text around the number', () => {
    expect(maskText('call me on +7 (916) 123-45-67 please').text).toBe('call me on +• (•••) •••-••-67 please');
    expect(maskText('номер 916/123/45/67').text).toBe('номер •••/•••/••/67');
    expect(maskText('паспорт 4510№123456').text).toBe('паспорт ••••№••••56');
    expect(maskText('серия 4510 номер 123456').text).toBe('серия •••• номер ••••56');
    expect(maskText('رقمي ٨٩١٦١٢٣٤٥٦٧').text).toBe('رقمي •••••••••٦٧');
  });
});

describe('maskValue and friends', () => {
  it('masks strings deep inside records and leaves other values alone', () => {
    const data = { note: 'перезвонить на 89161234567', until: 1767225600000, to: '0190a000-0000-7000-8000-0000000000a1', list: ['4510 123456', 3], ok: true, none: null };
    expect(maskValue(data)).toEqual({ note: 'перезвонить на •••••••••67', until: 1767225600000, to: '0190a000-0000-7000-8000-0000000000a1', list: ['•••• ••••56', 3], ok: true, none: null });
    expect(maskRecord({ '89161234567': 'x' })).toEqual({ '•••••••••67': 'x' });
  });

  it('masks attribute keys, strings and long numbers a partner sent as numbers', () => {
    expect(maskAttributes({ phone: 79161234567, plan: 'Тариф 350 ₽', vip: true, age: 42, '+79161234567': 'x' })).toEqual({
      phone: '•••••••••67',
      plan: 'Тариф 350 ₽',
      vip: true,
      age: 42,
      '+•••••••••67': 'x',
    });
  });
});
