import { describe, expect, it } from 'vitest';
import { isPublicPath, listensOnLoopbackOnly } from './constants';

describe('listensOnLoopbackOnly', () => {
  it('is true for the default bind and every loopback spelling', () => {
    for (const host of [undefined, '', '127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]']) {
      expect(listensOnLoopbackOnly(host)).toBe(true);
    }
  });

  it('is false when HOST opens the wizard to the network', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'wizard.contoso.com', '127.0.0.1.nip.io']) {
      expect(listensOnLoopbackOnly(host)).toBe(false);
    }
  });
});

describe('isPublicPath', () => {
  it('opens only the sign-in and setup pages', () => {
    expect(['/login', '/setup', '/login/x'].every(isPublicPath)).toBe(true);
    expect(['/', '/plans', '/loginx', '/setup-other', '/api/login'].some(isPublicPath)).toBe(false);
  });
});
