/**
 * The demo tenant's server: the local OneLogin simulator, seeded with verifications that settle on their
 * own. Built by esbuild as its own bundle (dist/demo.js) and loaded only when "Try the Demo Tenant" runs,
 * so nothing of it loads or listens before. Listens on 127.0.0.1 only, on a free port.
 */
import { randomBytes } from 'node:crypto';
import { startSimulator } from '../../test/mock-onelogin/server';

/** The ids the demo talks about: one user, and verifications that settle by themselves. */
const DEMO_USER = '1001';
const DEMO_OTP = '123456';

export interface DemoVerification {
  id: string;
  /** What happens to it, for the welcome message. */
  behaviour: 'accepted' | 'rejected' | 'otp';
}

export interface DemoServer {
  url: string;
  /** A fresh token for this run; the simulator accepts nothing else. */
  token: string;
  userId: string;
  otp: string;
  verifications: DemoVerification[];
  close(): Promise<void>;
}

export async function startDemoServer(): Promise<DemoServer> {
  const token = `demo-${randomBytes(18).toString('base64url')}`;
  const sim = await startSimulator({ accessTokens: [token], clientId: `demo-client-${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(18).toString('base64url') });
  sim.addUser(DEMO_USER, [
    { device_id: '9001', user_display_name: 'Demo iPhone', type_display_name: 'OneLogin Protect', auth_factor_name: 'OneLogin Protect', default: true },
    { device_id: '9002', user_display_name: '+1 XXX-XXX-0142', type_display_name: 'OneLogin Voice', auth_factor_name: 'OneLogin Voice', default: false },
    { device_id: '9003', user_display_name: 'Authenticator app', type_display_name: 'Google Authenticator', auth_factor_name: 'Google Authenticator', default: false, needsOtp: true },
  ]);
  const accepted = sim.addVerification(DEMO_USER, { id: 'demo-accepted', deviceId: '9001', settle: { to: 'accepted', afterMs: 6_000 }, expiresInSeconds: 300 });
  const rejected = sim.addVerification(DEMO_USER, { id: 'demo-rejected', deviceId: '9002', settle: { to: 'rejected', afterMs: 10_000 }, expiresInSeconds: 300 });
  const otp = sim.addVerification(DEMO_USER, { id: 'demo-otp', deviceId: '9003', otp: DEMO_OTP, expiresInSeconds: 900 });
  // A push sent from the editor is accepted after a few checks, like a person tapping "Accept".
  sim.setDefaultSettle({ to: 'accepted', afterPolls: 3 });
  return {
    url: sim.url,
    token,
    userId: DEMO_USER,
    otp: DEMO_OTP,
    verifications: [
      { id: accepted, behaviour: 'accepted' },
      { id: rejected, behaviour: 'rejected' },
      { id: otp, behaviour: 'otp' },
    ],
    close: () => sim.close(),
  };
}
