// The lab clock: real time (plus any fast-forward offset) or manual (moves only when advanced).
export type ClockMode = 'realtime' | 'manual';

export interface ClockState {
  mode: ClockMode;
  manualMs: number;
  offsetMs: number;
}

export class LabClock {
  constructor(private readonly state: ClockState) {}

  get mode(): ClockMode {
    return this.state.mode;
  }

  nowMs(): number {
    return this.state.mode === 'manual' ? this.state.manualMs : Date.now() + this.state.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Moves the clock to `ms` (never backwards). */
  setNow(ms: number): void {
    if (ms <= this.nowMs()) return;
    if (this.state.mode === 'manual') this.state.manualMs = ms;
    else this.state.offsetMs += ms - this.nowMs();
  }

  setMode(mode: ClockMode): void {
    if (mode === this.state.mode) return;
    const now = this.nowMs();
    this.state.mode = mode;
    if (mode === 'manual') this.state.manualMs = now;
    else this.state.offsetMs = now - Date.now();
  }
}
