// Links in chat messages: only http(s) URLs become links, sentence punctuation stays outside them,
// and the segments always join back into the original text.
import { describe, expect, it } from 'vitest';
import { splitLinks } from '../../widget/core/links';

const joined = (text: string) => splitLinks(text).map((s) => s.text).join('');
const links = (text: string) => splitLinks(text).filter((s) => s.href).map((s) => s.href);

describe('splitLinks', () => {
  it('plain text is one text segment', () => {
    expect(splitLinks('no links here')).toEqual([{ text: 'no links here' }]);
    expect(splitLinks('')).toEqual([{ text: '' }]);
  });

  it('splits text around http and https links', () => {
    expect(splitLinks('See https://example.com/help and http://a.test/x?y=1#z now')).toEqual([
      { text: 'See ' },
      { text: 'https://example.com/help', href: 'https://example.com/help' },
      { text: ' and ' },
      { text: 'http://a.test/x?y=1#z', href: 'http://a.test/x?y=1#z' },
      { text: ' now' },
    ]);
  });

  it('is case-insensitive on the scheme and gives a normalised href', () => {
    expect(splitLinks('HTTPS://Example.COM')).toEqual([{ text: 'HTTPS://Example.COM', href: 'https://example.com/' }]);
  });

  it('refuses javascript:, data: and other schemes: they stay text', () => {
    for (const t of ['javascript:alert(1)', 'JavaScript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'ftp://files.test/a', 'mailto:a@b.test']) {
      expect(splitLinks(t)).toEqual([{ text: t }]);
    }
  });

  it('an http URL inside a javascript: text links only as http', () => {
    expect(links('javascript:alert(1)//http://evil.test')).toEqual(['http://evil.test/']);
    expect(links('xhttp://a.test')).toEqual([]);
  });

  it('keeps trailing punctuation out of the link', () => {
    expect(splitLinks('Go to https://example.com/plans.')).toEqual([
      { text: 'Go to ' },
      { text: 'https://example.com/plans', href: 'https://example.com/plans' },
      { text: '.' },
    ]);
    expect(links('Really? https://a.test/x?! yes')).toEqual(['https://a.test/x']);
    expect(links('(see https://a.test/page), then')).toEqual(['https://a.test/page']);
    expect(links('«https://a.test/ru»')).toEqual(['https://a.test/ru']);
  });

  it('keeps balanced brackets that belong to the URL', () => {
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
    expect(links('(https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
  });

  it('stops at angle brackets and quotes', () => {
    expect(links('<https://a.test/x>')).toEqual(['https://a.test/x']);
    expect(links('"https://a.test/q"')).toEqual(['https://a.test/q']);
  });

  it('a scheme with no host is not a link', () => {
    expect(splitLinks('https:// and http://')).toEqual([{ text: 'https:// and http://' }]);
  });

  it('the segments always join back into the message', () => {
    for (const t of ['a https://x.test. b', 'https://x.test', '((http://y.test)))', 'javascript:alert(1)', 'line\nhttps://z.test/a,b\n']) {
      expect(joined(t)).toBe(t);
    }
  });
});
