// A refused file is explained in the customer's language from the server's error code; the
// size limit the server names is kept; an unknown code shows the server's own message.
import { describe, expect, it } from 'vitest';
import { I18n } from '../../widget/i18n';
import { FILE_LOST, fileRefusalText } from '../../widget/i18n/file-refusal';

const en = new I18n('en');
const ru = new I18n('ru');

describe('fileRefusalText', () => {
  it('words each document refusal in English and Russian', () => {
    const cases: [string, string, RegExp, RegExp][] = [
      ['document.type_refused', "SVG pictures can't be sent here", /photo \(JPEG, PNG, WebP, HEIC\) or a PDF/, /фото \(JPEG, PNG, WebP, HEIC\) или PDF/],
      ['document.type_mismatch', 'This file says it is image/png but it is not', /not what its name says/, /не соответствует/],
      ['document.too_many', 'A message can carry at most 5 files', /Too many files/, /Слишком много файлов/],
      ['document.infected', 'This file was refused by the virus check', /virus check/, /Антивирусная/],
      [FILE_LOST, 'The file was not sent. Please attach it again.', /attach it again/, /Прикрепите его ещё раз/],
    ];
    for (const [code, message, wantEn, wantRu] of cases) {
      expect(fileRefusalText(en, code, message)).toMatch(wantEn);
      expect(fileRefusalText(ru, code, message)).toMatch(wantRu);
      expect(fileRefusalText(ru, code, message)).not.toBe(message);
    }
  });

  it('names the size limit when the server gave one, and words it without one otherwise', () => {
    const msg = 'This file is larger than 10 MB; please send a smaller one';
    expect(fileRefusalText(en, 'document.too_large', msg)).toBe('This file is larger than 10 MB. Please send a smaller one.');
    expect(fileRefusalText(ru, 'document.too_large', msg)).toBe('Файл больше 10 МБ. Пришлите файл поменьше.');
    expect(fileRefusalText(ru, 'document.too_large', 'too big')).toBe('Файл слишком большой. Пришлите файл поменьше.');
  });

  it("falls back to the server's message for an unknown or missing code", () => {
    expect(fileRefusalText(ru, 'document.new_reason', 'Something new')).toBe('Something new');
    expect(fileRefusalText(en, undefined, 'Upload refused (400)')).toBe('Upload refused (400)');
  });
});
