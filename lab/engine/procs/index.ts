// All procedures the lab knows, by lower-case name.
import type { ProcDef } from '../tsql/host';
import { AGENT_PROCS } from './agent-procs';
import { LOG_SHIPPING_PROCS } from './log-shipping';
import { SYSTEM_PROCS } from './system-procs';

export const PROCS = new Map<string, ProcDef>(
  [...LOG_SHIPPING_PROCS, ...AGENT_PROCS, ...SYSTEM_PROCS].map((p) => [p.name.toLowerCase(), p]),
);
