import { describe, expect, it } from 'vitest';

import { mirrorStateProblems, parseMirrorState } from './verify';

const row = (primary: string, mirror: string, status = 'Synchronized') => ({
  DatabaseName: 'mgc',
  StateOnPrimary: primary,
  StateOnMirror: mirror,
  MirroringStatusOnPrimary: status,
  MirroringStatusOnMirror: status,
});

describe('mirror state checks', () => {
  it('parses the JSON array a mirror-state command prints and rejects anything else', () => {
    expect(parseMirrorState(`${JSON.stringify([row('Mirror', 'Principal')])}\n`)).toEqual([
      row('Mirror', 'Principal'),
    ]);
    expect(() => parseMirrorState('{"DatabaseName":"mgc"}')).toThrow(/JSON array/);
    expect(() => parseMirrorState('[{"DatabaseName":"mgc"}]')).toThrow(/StateOnPrimary/);
  });

  it('accepts swapped roles after a failover to the mirror, case-insensitively', () => {
    expect(mirrorStateProblems([row('Mirror', 'Principal', 'synchronized')], 'mgc', 'Mirror')).toEqual([]);
    expect(mirrorStateProblems([row('Principal', 'Mirror')], 'MGC', 'Primary')).toEqual([]);
  });

  it('names each problem: wrong roles, unsynchronized mirroring, missing database', () => {
    expect(mirrorStateProblems([row('Principal', 'Mirror')], 'mgc', 'Mirror')).toEqual([
      'mgc: expected Mirror on the primary store and Principal on the mirror, found Principal and Mirror.',
    ]);
    expect(
      mirrorStateProblems(
        [row('DatabaseInaccessibleOrMirroringNotEnabled', 'DatabaseInaccessibleOrMirroringNotEnabled', '')],
        'mgc',
        'Primary',
      ),
    ).toEqual([
      'mgc: expected Principal on the primary store and Mirror on the mirror, found DatabaseInaccessibleOrMirroringNotEnabled and DatabaseInaccessibleOrMirroringNotEnabled.',
      'mgc: mirroring on the primary store is not reported, not Synchronized.',
      'mgc: mirroring on the mirror is not reported, not Synchronized.',
    ]);
    expect(mirrorStateProblems([row('Principal', 'Mirror')], 'mgccomp', 'Primary')).toEqual([
      'Get-CsDatabaseMirrorState returned no state for mgccomp.',
    ]);
  });
});
