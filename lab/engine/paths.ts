// Windows paths as the lab's machines see them, mapped to folders under the lab root:
// \\HOST\share\x -> <root>/shares/HOST/share/x, D:\x on machine M -> <root>/hosts/M/D/x, \\M\D$\x -> <root>/hosts/M/D/x.
import fs from 'node:fs';
import path from 'node:path';
import type { ShareState } from './state';

export type PathResult =
  { ok: true; hostPath: string; display: string } | { ok: false; osError: number; osText: string };

export const OS_ERRORS: Record<number, string> = {
  2: 'The system cannot find the file specified.',
  3: 'The system cannot find the path specified.',
  5: 'Access is denied.',
  53: 'The network path was not found.',
  67: 'The network name cannot be found.',
  123: 'The filename, directory name, or volume label syntax is incorrect.',
};

export function osFailure(code: number): PathResult {
  return { ok: false, osError: code, osText: OS_ERRORS[code] ?? 'Unknown error.' };
}

/** "3(The system cannot find the path specified.)" as SQL Server prints it in 3201. */
export function osErrorText(code: number): string {
  return `${code}(${OS_ERRORS[code] ?? 'Unknown error.'})`;
}

export interface PathContext {
  root: string;
  /** Machines that exist (instance hosts and the file server), upper-case short names. */
  machines: Set<string>;
  shares: Record<string, ShareState>;
  /** Default folder for relative backup file names. */
  defaultBackupDir: string;
}

export function shareKey(host: string, share: string): string {
  return `\\\\${host.toUpperCase()}\\${share.toLowerCase()}`;
}

/** Joins segments under base, matching existing entries case-insensitively (Windows semantics). */
function resolveCi(base: string, segments: string[]): string {
  let cur = base;
  for (const seg of segments) {
    let next = path.join(cur, seg);
    if (!fs.existsSync(next)) {
      try {
        const hit = fs.readdirSync(cur).find((e) => e.toLowerCase() === seg.toLowerCase());
        if (hit) next = path.join(cur, hit);
      } catch {
        // parent does not exist; keep the literal name
      }
    }
    cur = next;
  }
  return cur;
}

/**
 * Maps a Windows path used on `machine` to the lab folder. `access` 'write' checks that the share is writable for the
 * service account. Existence of the final file is not checked here.
 */
export function mapPath(
  ctx: PathContext,
  machine: string,
  winPath: string,
  access: 'read' | 'write',
): PathResult {
  let p = winPath.trim().replace(/\//g, '\\');
  if (p === '') return osFailure(123);
  const unc = /^\\\\([^\\]+)\\([^\\]+)(?:\\(.*))?$/.exec(p);
  if (unc) {
    const host = unc[1]!.split('.')[0]!.toUpperCase();
    const share = unc[2]!;
    const rest = (unc[3] ?? '').split('\\').filter((s) => s !== '' && s !== '.');
    if (!ctx.machines.has(host)) return osFailure(53);
    const admin = /^([A-Za-z])\$$/.exec(share);
    if (admin) {
      const disk = admin[1]!.toUpperCase();
      const base = path.join(ctx.root, 'hosts', host, disk);
      if (!fs.existsSync(base)) return osFailure(67);
      return { ok: true, hostPath: resolveCi(base, rest), display: winPath };
    }
    const st = ctx.shares[shareKey(host, share)];
    if (!st || !st.present) return osFailure(67);
    if (access === 'write' && !st.writable) return osFailure(5);
    const local = st.localPath ? /^([A-Za-z]):\\?(.*)$/.exec(st.localPath) : undefined;
    const base = local
      ? resolveCi(
          path.join(ctx.root, 'hosts', host, local[1]!.toUpperCase()),
          local[2]!.split('\\').filter(Boolean),
        )
      : resolveCi(path.join(ctx.root, 'shares', host), [share]);
    if (!fs.existsSync(base)) return osFailure(67);
    return { ok: true, hostPath: resolveCi(base, rest), display: winPath };
  }
  if (!/^[A-Za-z]:/.test(p)) p = ctx.defaultBackupDir.replace(/\\$/, '') + '\\' + p;
  const local = /^([A-Za-z]):\\?(.*)$/.exec(p);
  if (!local) return osFailure(123);
  const disk = local[1]!.toUpperCase();
  const base = path.join(ctx.root, 'hosts', machine.toUpperCase(), disk);
  if (!fs.existsSync(base)) return osFailure(3);
  const rest = local[2]!.split('\\').filter((s) => s !== '' && s !== '.');
  return { ok: true, hostPath: resolveCi(base, rest), display: winPath };
}

/** Checks that the folder holding a file exists (OS error 3 otherwise). */
export function parentExists(hostPath: string): boolean {
  try {
    return fs.statSync(path.dirname(hostPath)).isDirectory();
  } catch {
    return false;
  }
}
