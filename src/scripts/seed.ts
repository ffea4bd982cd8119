/**
 * The demo's script use: on the calls still open on the Tier 1 desks, the agent has read a script in the call's
 * language, so the scripts panel already lists one (scripts themselves are reference data, loaded at every start).
 */
import type { Actor, StaffUser } from '../platform/actor.ts';
import type { ContactService } from '../contacts/service.ts';
import type { ScriptService } from './service.ts';

/** The topic read on a demo call, by the call's language. */
const DEMO_TOPIC: Record<string, string> = { en: 'biometrics', es: 'change-of-address' };

export async function seedDemoScriptUse(services: { scripts: ScriptService; contacts: ContactService }, agents: ReadonlyArray<StaffUser | undefined>): Promise<{ used: number }> {
  let used = 0;
  for (const user of agents) {
    if (!user) continue;
    const actor: Actor = { kind: 'staff', user, sessionId: 'demo-seed' };
    const [call] = await services.contacts.openCallsOf(actor);
    if (!call) continue;
    await services.scripts.use(actor, call.id, { scriptId: DEMO_TOPIC[call.language] ?? DEMO_TOPIC.en!, language: call.language === 'es' ? 'es' : 'en' });
    used++;
  }
  return { used };
}
