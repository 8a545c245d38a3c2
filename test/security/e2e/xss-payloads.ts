/**
 * The stored-XSS corpus: strings a hostile customer, partner page or careless agent might type,
 * each one harmless only if every view renders it as text.
 *
 * Rules the corpus keeps so that "shown as text" can be asserted exactly:
 * - no leading or trailing whitespace (several fields trim);
 * - no run of seven or more digits, and no document words next to digits (agents' views mask those);
 * - each one names itself in what it would do (`alert('p12')`, a `pwn` marker in URLs and ids), so a
 *   dialog or a request says which payload broke through.
 */
export interface Payload {
  id: string;
  text: string;
}

const raw: string[] = [
  // Plain script tags, in the shapes filters forget.
  `<script>alert('p00')</script>`,
  `<SCRIPT SRC=/pwn-p01.js></SCRIPT>`,
  `<scr<script>ipt>alert('p02')</scr</script>ipt>`,
  `<script/xss src="/pwn-p03.js"></script>`,
  // Event handlers on elements that fire without a click.
  `<img src=x onerror=alert('p04') id=pwn>`,
  `<img src="x" onerror="alert('p05')" class="pwn">`,
  `<svg onload=alert('p06')>`,
  `<svg><animate onbegin=alert('p07') attributeName=x dur=1s>`,
  `<body onload=alert('p08')>`,
  `<iframe src="javascript:alert('p09')" id=pwn></iframe>`,
  `<iframe srcdoc="<script>alert('p10')</script>"></iframe>`,
  `<details open ontoggle=alert('p11')>`,
  `<video><source onerror=alert('p12')></video>`,
  `<input autofocus onfocus=alert('p13')>`,
  `<marquee onstart=alert('p14')>pwn</marquee>`,
  `<object data="javascript:alert('p15')"></object>`,
  `<embed src="/pwn-p16.swf">`,
  // javascript: and data: URLs, in places a linkifier would turn into links.
  `javascript:alert('p17')`,
  `<a href="javascript:alert('p18')" id=pwn>click me</a>`,
  `[click](javascript:alert('p19'))`,
  `JaVaScRiPt:alert('p20')//http://example.com`,
  `data:text/html;base64,PHNjcmlwdD5hbGVydCgncDIxJyk8L3NjcmlwdD4=`,
  `<a href="&#106;avascript:alert('p22')">x</a>`,
  // Attribute breakouts: a value put into an attribute without quoting.
  `"><img src=x onerror=alert('p23')>`,
  `'><svg onload=alert('p24')>`,
  `" onmouseover="alert('p25')" x="`,
  `' autofocus onfocus='alert(26)`,
  `</textarea><script>alert('p27')</script>`,
  `</title></style></noscript><img src=x onerror=alert('p28')>`,
  // Template-literal and Lit-specific tricks: markers, bindings and template syntax as data.
  '${alert(`p29`)}',
  '`;alert(`p30`);`',
  `{{constructor.constructor('alert("p31")')()}}`,
  `<!--?lit$123$--><img src=x onerror=alert('p32')>`,
  `lit$123$<img src=x onerror=alert('p33')>`,
  `<template><img src=x onerror=alert('p34')></template>`,
  `@click=\${()=>alert('p35')} .innerHTML=\${'<img src=x onerror=alert(35)>'}`,
  // Comments and mutation XSS: strings that change meaning when re-parsed.
  `<!--<img src="--><img src=x onerror=alert('p36')//">`,
  `<noscript><p title="</noscript><img src=x onerror=alert('p37')>">`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert('p38')>`,
  `<svg></p><style><a id="</style><img src=x onerror=alert('p39')>">`,
  `<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img onerror=alert('p40') src>">`,
  // Entities and encodings that a decode-then-insert path would turn into markup.
  `&lt;img src=x onerror=alert('p41')&gt;`,
  `&#60;script&#62;alert('p42')&#60;/script&#62;`,
  `%3Cscript%3Ealert('p43')%3C%2Fscript%3E`,
  `\\u003cimg src=x onerror=alert('p44')\\u003e`,
  // Unicode: right-to-left override, zero-width joiners, fullwidth brackets, combining marks.
  `\u202Egnp.exe\u202C<img src=x onerror=alert('p45')>`,
  `<\u200Bscript>alert('p46')<\u200B/script>`,
  `＜script＞alert('p47')＜/script＞`,
  `Z̷̢a̸l̵g̶o̴ <b onmouseover=alert('p48')>bold</b> 😀👍🏽`,
  // CSS injection: style blocks and attributes that would fetch or cover the page.
  `<style>*{background:url(/pwn-p49.png)}</style>`,
  `<div style="position:fixed;inset:0;background:url(/pwn-p50.png)" id=pwn>cover</div>`,
  `</style><link rel=stylesheet href=/pwn-p51.css>`,
  // Markup that would retarget or reframe the page.
  `<base href="//pwn.example/">`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert('p53')">`,
  `<form action="javascript:alert('p54')"><button id=pwn>go</button></form>`,
];

/** A very long payload: a handler repeated past every field's limit, cut to fit where needed. */
const long = `<img src=x onerror=alert('long')>`.repeat(230);

/** The corpus, in a fixed order with stable ids. */
export const PAYLOADS: Payload[] = [...raw.map((text, i) => ({ id: `p${String(i).padStart(2, '0')}`, text })), { id: 'long', text: long }];

/**
 * Pack payloads into as few strings as fit `max` characters, joined by " | ". A payload longer
 * than `max` is cut to it (and trimmed). Returns the packs with the ids each one carries.
 */
export function packs(max: number, items: Payload[] = PAYLOADS): { text: string; ids: string[] }[] {
  const out: { text: string; ids: string[] }[] = [];
  let cur: { text: string; ids: string[] } | null = null;
  for (const p of items) {
    // Cut to fit, and trimmed as the fields that trim would store it.
    const t = p.text.slice(0, max).trim();
    if (cur && cur.text.length + 3 + t.length <= max) {
      cur.text += ` | ${t}`;
      cur.ids.push(p.id);
    } else {
      cur = { text: t, ids: [p.id] };
      out.push(cur);
    }
  }
  return out;
}
