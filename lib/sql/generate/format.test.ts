import { afterEach, describe, expect, it } from 'vitest';
import { agentDate, agentTime, joinWindowsPath, utcStamp, windowsBaseName } from './format';

const savedTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = savedTz;
});

describe('agentDate', () => {
  it('uses the plan start date when set', () => {
    expect(agentDate('2027-01-05', new Date('2026-11-26T12:00:00Z'))).toBe(20270105);
  });

  it("uses the generation instant's local calendar day otherwise, as SSMS uses the scripting day", () => {
    const instant = new Date('2026-11-27T03:00:00Z');
    process.env.TZ = 'America/Los_Angeles';
    expect(agentDate(undefined, instant)).toBe(20261126);
    process.env.TZ = 'Europe/Paris';
    expect(agentDate(undefined, instant)).toBe(20261127);
  });
});

describe('agentTime', () => {
  it('turns HH:MM[:SS] into the HHMMSS integer SQL Server Agent stores', () => {
    expect(agentTime('00:00:00')).toBe(0);
    expect(agentTime('09:30')).toBe(93000);
    expect(agentTime('09:30:15')).toBe(93015);
    expect(agentTime('23:59')).toBe(235900);
    expect(agentTime('23:59:59')).toBe(235959);
  });
});

describe('file names and paths', () => {
  it('stamps backup files in UTC, yyyyMMddHHmmss', () => {
    expect(utcStamp(new Date('2026-01-02T03:04:05Z'))).toBe('20260102030405');
  });

  it('joins Windows paths with one backslash and takes the last segment', () => {
    expect(joinWindowsPath('\\\\FS01\\share', 'a.bak')).toBe('\\\\FS01\\share\\a.bak');
    expect(joinWindowsPath('D:\\', 'a.bak')).toBe('D:\\a.bak');
    expect(windowsBaseName('C:\\Data\\mgc.mdf')).toBe('mgc.mdf');
    expect(windowsBaseName('mgc.mdf')).toBe('mgc.mdf');
  });
});
