// Procedure parameter lists: the documented ones come from msdb-procs.json (names, types, defaults, required, OUTPUT).
import type { LabValue } from '../contract';
import procsJson from '../catalog/msdb-procs.json';
import type { ProcParam } from '../tsql/host';
import { typeFromCatalog } from '../tsql/values';

interface JsonParam {
  name: string;
  type: string;
  default: LabValue;
  required?: boolean;
  output?: boolean;
}

const catalog = procsJson as unknown as Record<string, { params?: JsonParam[] }>;

/** The documented parameters of `master.dbo.sp_x` / `msdb.dbo.sp_x`. */
export function documentedParams(fullName: string): ProcParam[] {
  const entry = catalog[fullName];
  if (!entry?.params) throw new Error(`${fullName} missing from msdb-procs.json`);
  return entry.params.map((p) => ({
    name: p.name,
    type: typeFromCatalog(p.type.replace(/\s*\(.*$/, '') || 'nvarchar'),
    required: p.required === true,
    output: p.output === true,
    ...(p.default !== null && p.default !== undefined ? { default: p.default } : {}),
  }));
}

/** A parameter list written here for procedures the JSON does not describe (sp_start_job, xp_fileexist...). */
export function params(
  list: [name: string, type: string, opts?: { required?: boolean; output?: boolean; default?: LabValue }][],
): ProcParam[] {
  return list.map(([name, type, o]) => ({
    name,
    type: typeFromCatalog(type),
    required: o?.required === true,
    output: o?.output === true,
    ...(o?.default !== undefined ? { default: o.default } : {}),
  }));
}
