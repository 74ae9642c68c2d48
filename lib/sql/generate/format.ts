// Value formats SQL Server Agent and SSMS use, derived from plan values.
import type { Schedule } from '@/lib/plan/schema';

/** `YYYYMMDD` as an int, for `@active_start_date`: the plan's start date, else `generatedFor`'s local date (SSMS uses the scripting day). */
export function agentDate(startDate: string | undefined, generatedFor: Date): number {
  if (startDate) return Number(startDate.replace(/-/g, ''));
  return generatedFor.getFullYear() * 10_000 + (generatedFor.getMonth() + 1) * 100 + generatedFor.getDate();
}

/** `HH:MM[:SS]` as SQL Server Agent's HHMMSS int (`09:30` → 93000, `00:00:00` → 0). */
export function agentTime(time: string): number {
  const [h = '0', m = '0', s = '0'] = time.split(':');
  return Number(h) * 10_000 + Number(m) * 100 + Number(s);
}

/** `@freq_subday_type` for an every-N schedule: 4 = minutes, 8 = hours. */
export function subdayType(schedule: Schedule): 4 | 8 {
  return schedule.unit === 'minutes' ? 4 : 8;
}

/** `yyyyMMddHHmmss` in UTC, the stamp log shipping itself puts in backup file names. */
export function utcStamp(at: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    pad(at.getUTCFullYear(), 4) +
    pad(at.getUTCMonth() + 1) +
    pad(at.getUTCDate()) +
    pad(at.getUTCHours()) +
    pad(at.getUTCMinutes()) +
    pad(at.getUTCSeconds())
  );
}

/** Joins a Windows folder and a file name with exactly one backslash. */
export function joinWindowsPath(folder: string, file: string): string {
  return folder.endsWith('\\') ? `${folder}${file}` : `${folder}\\${file}`;
}

/** The last segment of a Windows path. */
export function windowsBaseName(filePath: string): string {
  const i = filePath.lastIndexOf('\\');
  return i === -1 ? filePath : filePath.slice(i + 1);
}
