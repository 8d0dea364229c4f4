import { describe, expect, it } from 'vitest';
import {
  allowedHosts,
  contentSecurityPolicy,
  createNonce,
  isAllowedHost,
  parseHostHeader,
  refusalMessage,
  securityHeaders,
} from './network-guard';

const none = {};

describe('allowedHosts', () => {
  it('is the loopback names by default', () => {
    expect(allowedHosts(none)).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHosts({ PIPELAB_PUBLIC_URL: '  ' })).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  it('adds the host of PIPELAB_PUBLIC_URL, with its port when it names one', () => {
    expect(allowedHosts({ PIPELAB_PUBLIC_URL: 'https://Pipelab.Example.com/app/' })).toContain('pipelab.example.com');
    expect(allowedHosts({ PIPELAB_PUBLIC_URL: 'http://lab.internal:8080' })).toContain('lab.internal:8080');
    // The scheme's default port is no port at all.
    expect(allowedHosts({ PIPELAB_PUBLIC_URL: 'https://pipelab.example.com:443' })).toContain('pipelab.example.com');
  });

  it('accepts a bare host name or address and ignores a value that is not a URL', () => {
    expect(allowedHosts({ PIPELAB_PUBLIC_URL: 'lab.internal:3000' })).toContain('lab.internal:3000');
    expect(allowedHosts({ PIPELAB_PUBLIC_URL: 'http://[fd00::1]:3000' })).toContain('[fd00::1]:3000');
    expect(allowedHosts({ PIPELAB_PUBLIC_URL: 'http://exa mple.com' })).toHaveLength(3);
  });

  it('does not repeat a loopback name', () => {
    expect(allowedHosts({ PIPELAB_PUBLIC_URL: 'http://localhost' })).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });
});

describe('parseHostHeader', () => {
  it('splits hostname and port, lower-cased', () => {
    expect(parseHostHeader('Example.COM:8080')).toEqual({ hostname: 'example.com', port: '8080' });
    expect(parseHostHeader('[::1]:3000')).toEqual({ hostname: '[::1]', port: '3000' });
    expect(parseHostHeader('127.0.0.1')).toEqual({ hostname: '127.0.0.1', port: '' });
  });

  it('rejects malformed values', () => {
    for (const bad of ['', ':3000', 'a:b', 'example.com:123456', 'user@example.com', 'a b', '::1', '[::1', 'example.com/x']) {
      expect(parseHostHeader(bad), bad).toBeUndefined();
    }
  });
});

describe('isAllowedHost', () => {
  it('answers the loopback names on any port', () => {
    for (const host of ['localhost', 'localhost:3000', 'LOCALHOST:3456', '127.0.0.1', '127.0.0.1:3000', '[::1]', '[::1]:3000']) {
      expect(isAllowedHost(host, none), host).toBe(true);
    }
  });

  it('refuses a missing or empty Host', () => {
    expect(isAllowedHost(null, none)).toBe(false);
    expect(isAllowedHost(undefined, none)).toBe(false);
    expect(isAllowedHost('', none)).toBe(false);
  });

  it('refuses every other name, including look-alikes used for DNS rebinding', () => {
    for (const host of [
      'attacker.example',
      'attacker.example:3000',
      '127.0.0.1.attacker.example',
      'localhost.attacker.example',
      'localhost.',
      '127.0.0.2',
      '0.0.0.0:3000',
      '[::2]:3000',
      '192.168.1.20:3000',
      'localhost:3000@attacker.example',
    ]) {
      expect(isAllowedHost(host, none), host).toBe(false);
    }
  });

  it('answers the PIPELAB_PUBLIC_URL name on any port when the URL names none', () => {
    const env = { PIPELAB_PUBLIC_URL: 'https://pipelab.example.com' };
    expect(isAllowedHost('pipelab.example.com', env)).toBe(true);
    expect(isAllowedHost('PipeLab.Example.com:3000', env)).toBe(true);
    expect(isAllowedHost('other.example.com', env)).toBe(false);
    expect(isAllowedHost('pipelab.example.com.attacker.example', env)).toBe(false);
    expect(isAllowedHost('localhost:3000', env)).toBe(true);
  });

  it('requires the port when PIPELAB_PUBLIC_URL names one', () => {
    const env = { PIPELAB_PUBLIC_URL: 'http://lab.internal:8080/' };
    expect(isAllowedHost('lab.internal:8080', env)).toBe(true);
    expect(isAllowedHost('lab.internal', env)).toBe(false);
    expect(isAllowedHost('lab.internal:3000', env)).toBe(false);
  });

  it('answers a public IPv6 address', () => {
    const env = { PIPELAB_PUBLIC_URL: 'http://[FD00::1]:3000' };
    expect(isAllowedHost('[fd00::1]:3000', env)).toBe(true);
    expect(isAllowedHost('[fd00::2]:3000', env)).toBe(false);
  });
});

describe('refusalMessage', () => {
  it('names what is answered and how to change it', () => {
    expect(refusalMessage(none)).toBe(
      'This Pipelab only answers requests addressed to localhost, 127.0.0.1, [::1]; set PIPELAB_PUBLIC_URL to serve it under another name.\n',
    );
    expect(refusalMessage({ PIPELAB_PUBLIC_URL: 'http://lab.internal:8080' })).toContain('[::1], lab.internal:8080;');
  });
});

describe('createNonce', () => {
  it('is 16 random bytes in base64, new every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
    }
  });
});

describe('securityHeaders', () => {
  const production = { NODE_ENV: 'production' };

  it('sets the page CSP with the nonce and without eval in production', () => {
    expect(contentSecurityPolicy('abc123==', production)).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123==' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'",
    );
  });

  it("allows 'unsafe-eval' outside production only", () => {
    expect(contentSecurityPolicy('n', { NODE_ENV: 'development' })).toContain("script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval';");
    expect(contentSecurityPolicy('n', {})).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy('n', production)).not.toContain('unsafe-eval');
  });

  it('never allows inline scripts, and never puts a nonce on styles (it would disable unsafe-inline)', () => {
    const directives = contentSecurityPolicy('n', production).split('; ');
    const script = directives.find((d) => d.startsWith('script-src '))!;
    const style = directives.find((d) => d.startsWith('style-src '))!;
    expect(script).not.toContain("'unsafe-inline'");
    expect(style).not.toContain('nonce-');
    expect(directives).not.toContain('upgrade-insecure-requests');
  });

  it('returns the full header set', () => {
    expect(securityHeaders('xyz', production)).toEqual({
      'Content-Security-Policy': contentSecurityPolicy('xyz', production),
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    });
  });

  it('reads NODE_ENV from the process by default', () => {
    const csp = securityHeaders('n')['Content-Security-Policy'];
    expect(csp.includes("'unsafe-eval'")).toBe(process.env.NODE_ENV !== 'production');
  });
});
