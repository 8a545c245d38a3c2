// The customer's own words of a mail: quoted history, quote lines and signature cut off.
import { describe, expect, it } from 'vitest';
import { replyText } from '../../../worker/mail/reply-text';
import { replySubject } from '../../../worker/mail/answers';
import { splitPlus, tokenOfMessageId } from '../../../worker/mail/tokens';

describe('replyText', () => {
  it('keeps what was written above the quote, in English, Outlook and Russian clients', () => {
    expect(replyText('Thanks, works now.\r\n\r\nOn Tue, 1 Dec 2026 at 10:00, Northwind <support@northwind.test> wrote:\r\n> Try again\r\n')).toBe('Thanks, works now.');
    expect(replyText('Still broken.\n\n-----Original Message-----\nFrom: Support\nTry again')).toBe('Still broken.');
    expect(replyText('Спасибо!\n\n1 дек. 2026 г., в 10:00, Волна <help@volna.test> пишет:\n> Попробуйте снова')).toBe('Спасибо!');
  });

  it('drops inline quote lines and the signature', () => {
    expect(replyText('> old line\nnew line\n-- \nAnn\n+1 555 0100')).toBe('new line');
  });

  it('reads an HTML-only mail as text, without its quoted blockquote', () => {
    expect(replyText(undefined, '<div>Hello <b>there</b></div><blockquote>old &amp; quoted</blockquote><p>a &lt; b</p>')).toBe('Hello there\na < b');
  });
});

describe('mail addresses and ids', () => {
  it('splits a plus-address and finds our token only in our Message-IDs', () => {
    expect(splitPlus('Support+ABC@Northwind.test')).toEqual({ base: 'support@northwind.test', tag: 'abc' });
    expect(splitPlus('support@northwind.test')).toEqual({ base: 'support@northwind.test', tag: null });
    const token = 'a'.repeat(48);
    expect(tokenOfMessageId(`<${token}.m3@northwind.test>`)).toBe(token);
    expect(tokenOfMessageId('<CAF=xyz@mail.gmail.com>')).toBeNull();
  });

  it('prefixes Re: once', () => {
    expect(replySubject('Roaming')).toBe('Re: Roaming');
    expect(replySubject('RE: Roaming')).toBe('RE: Roaming');
  });
});
