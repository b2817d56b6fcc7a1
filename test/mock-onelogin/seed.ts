// The demo data `npm start` and the README talk about: one user, three verifications with fixed ids.

import type { Simulator } from './types';

export interface DemoSeed {
  userId: string;
  /** Accepted on its 4th status GET. */
  accepted: string;
  /** Rejected on its 3rd status GET. */
  rejected: string;
  /** Never settles. */
  pending: string;
}

export const DEMO_SEED: Readonly<DemoSeed> = {
  userId: '1001',
  accepted: 'demo-accepted',
  rejected: 'demo-rejected',
  pending: 'demo-pending',
};

/**
 * Seeds user 1001 (devices: OneLogin Protect, default, and OneLogin Voice) with three verifications,
 * and makes verifications triggered with POST settle to accepted on their 4th poll, so a demo
 * "trigger then watch" ends on its own.
 */
export function seedDemo(sim: Simulator): DemoSeed {
  const { userId, accepted, rejected, pending } = DEMO_SEED;
  sim.addUser(userId);
  sim.addVerification(userId, { id: accepted, settle: { to: 'accepted', afterPolls: 4 }, expiresInSeconds: 900 });
  sim.addVerification(userId, { id: rejected, settle: { to: 'rejected', afterPolls: 3 }, expiresInSeconds: 900 });
  sim.addVerification(userId, { id: pending, expiresInSeconds: 900 });
  sim.setDefaultSettle({ to: 'accepted', afterPolls: 4 });
  return { ...DEMO_SEED };
}
