// Access from a procedure body to the instance and world it runs in.
import type { InstanceState } from '../state';
import type { InstanceHost, ProcCall } from '../tsql/host';
import type { WorldInternals } from '../world-internals';

export interface RuntimeHost extends InstanceHost {
  readonly world: WorldInternals;
  readonly inst: InstanceState;
}

export function runtimeOf(call: ProcCall): RuntimeHost {
  return call.host as RuntimeHost;
}
