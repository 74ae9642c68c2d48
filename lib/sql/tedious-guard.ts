import 'server-only';
import { Connection } from 'tedious';

// tedious 19 races two handlers when a server drops the connection during a request: the socket's `close` moves the
// connection to its final state, then the pending read fails and dispatches `socketError`, which that state does not
// know; tedious then emits an `error` nobody listens to any more, and it surfaces as an unhandled rejection that would
// take the whole server down. A connection already in its final state has nothing left to do with a socket error.
type Dispatch = (this: { state?: { name?: string } }, eventName: string, ...args: unknown[]) => void;
const proto = Connection.prototype as unknown as { dispatchEvent: Dispatch; pchatHadrGuarded?: boolean };
if (!proto.pchatHadrGuarded) {
  const original = proto.dispatchEvent;
  proto.dispatchEvent = function (eventName, ...args) {
    if (eventName === 'socketError' && this.state?.name === 'Final') return;
    original.call(this, eventName, ...args);
  };
  proto.pchatHadrGuarded = true;
}
