import { describe, expect, it } from 'vitest';
import { api } from '../helpers';
import { pageCsp } from '../../worker/middleware/security-headers';

describe('security headers', () => {
  it('the inbox gets a strict CSP that forbids framing', async () => {
    const res = await api('/inbox');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'self' ws://sb.test");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('the hosted chat page gets a CSP but stays embeddable', async () => {
    const res = await api('/chat?brand=operator&channel=app');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('frame-ancestors');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('API answers, errors included, carry nosniff and no-referrer', async () => {
    for (const res of [await api('/health'), await api('/v1/nope')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toBeNull();
    }
  });

  it('uses wss for the socket origin over https', () => {
    expect(pageCsp('https://chat.example.com/inbox', false)).toContain("connect-src 'self' wss://chat.example.com");
  });
});
