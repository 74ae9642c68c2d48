import 'server-only';
import { secretNeeds } from '@/lib/auth/vault';
import type { Plan } from '@/lib/plan/schema';
import type { StageId } from '@/lib/stages/ids';
import type { SecretNeedView } from './schema';

/** The logins of a plan whose password nobody gave yet (not typed in this session, not in the environment). */
export function missingSecrets(sessionId: string | undefined, plan: Plan, stage: StageId): SecretNeedView[] {
  // The topology check only talks to the management shell, which signs in as the operator running it.
  if (stage === 'topology') return [];
  return secretNeeds(sessionId, plan)
    .filter((n) => n.source === 'missing')
    .map(({ key, serverName, principal }) => ({ key, serverName, principal }));
}
