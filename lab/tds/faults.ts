// Per-instance fault switches, set through the control API and read by the TDS front end.

export interface InstanceFaults {
  /** Listener closed and every connection dropped: clients get "connection refused". */
  down: boolean;
  /** Every LOGIN7 is answered with Msg 18456 and the connection closed. */
  refuseLogins: boolean;
  /**
   * The next SQLBatch message loses its connection after its first token reaches the client. A batch made only of
   * SET statements (the session options a client sends after login) does not count.
   */
  dropNextBatch: boolean;
  /** Like dropNextBatch but for the next request of any kind (SQLBatch or RPC, mssql's pool validation included). */
  dropNextRequest: boolean;
  /** Delay before each request runs (ms); cancellable by ATTENTION. */
  slowMs: number;
}

export type FaultPatch = Partial<InstanceFaults>;

export function noFaults(): InstanceFaults {
  return { down: false, refuseLogins: false, dropNextBatch: false, dropNextRequest: false, slowMs: 0 };
}

/** Validates a control-API body into a patch; returns an error message for anything else. */
export function parseFaultPatch(body: unknown): FaultPatch | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const patch: FaultPatch = {};
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'down':
      case 'refuseLogins':
      case 'dropNextBatch':
      case 'dropNextRequest':
        if (typeof value !== 'boolean') return `${key} must be a boolean`;
        patch[key] = value;
        break;
      case 'slowMs':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 600_000) {
          return 'slowMs must be a number of milliseconds between 0 and 600000';
        }
        patch.slowMs = value;
        break;
      default:
        return `unknown fault: ${key}`;
    }
  }
  return patch;
}
