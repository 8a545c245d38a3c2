// File names as shown and as sent in Content-Disposition: no path, no disguise, the real type's extension.
import { describe, expect, it } from 'vitest';
import { sanitiseFilename } from '../../../worker/documents/filename';
import { contentDisposition } from '../../../worker/documents/serve';
import { declaredAgrees, sniff } from '../../../worker/documents/sniff';

describe('sanitiseFilename', () => {
  it.each([
    ['C:\\Users\\me\\scan.pdf', 'application/pdf', 'scan.pdf'],
    ['../../../etc/passwd', 'image/png', 'passwd.png'],
    ['photo\u202Egpj.exe', 'image/jpeg', 'photogpj.exe.jpg'],
    ['  ..hidden. ', 'image/webp', 'hidden.webp'],
    ['a<b>:"c|?*.PDF', 'application/pdf', 'a_b___c___.PDF'.replace('.PDF', '.pdf')],
    ['', 'image/heic', 'document.heic'],
    ['IMG_1.jpeg', 'image/jpeg', 'IMG_1.jpeg'],
    [`${'x'.repeat(300)}.png`, 'image/png', `${'x'.repeat(96)}.png`],
  ] as const)('%j as %s → %j', (raw, type, want) => {
    expect(sanitiseFilename(raw, type)).toBe(want);
  });

  it('writes a header-safe Content-Disposition with the UTF-8 name beside an ASCII fallback', () => {
    expect(contentDisposition('inline', 'Паспорт "1".pdf')).toBe(`inline; filename="_______ _1_.pdf"; filename*=UTF-8''${encodeURIComponent('Паспорт "1".pdf')}`);
  });
});

describe('sniff and the declared type', () => {
  it('names types by their bytes and accepts the usual aliases', () => {
    expect(sniff(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toEqual({ ok: true, type: 'image/webp' });
    expect(sniff(new TextEncoder().encode('\uFEFF  <svg onload=x>'))).toEqual({ ok: false, kind: 'svg' });
    expect(declaredAgrees('image/jpg', 'image/jpeg')).toBe(true);
    expect(declaredAgrees('IMAGE/PNG; charset=x', 'image/png')).toBe(true);
    expect(declaredAgrees('', 'image/heic')).toBe(true);
    expect(declaredAgrees('text/html', 'application/pdf')).toBe(false);
  });
});
