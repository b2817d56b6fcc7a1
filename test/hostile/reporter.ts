/**
 * Mocha reporter of the hostile suite: mocha's usual "spec" output, then a breakdown by category (the
 * part of each top-level describe title before ':' — faults, bad input, attacks) and, alone on the last
 * line, the figure SECURITY.md quotes:
 *
 *     hostile: 57 passed, 0 failed
 *
 * A failing hook counts as a failed case; a pending (skipped) case is listed as pending, never as passed.
 */
import Mocha from 'mocha';

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
const CATEGORIES = ['faults', 'bad input', 'attacks'];

interface Count {
  passed: number;
  failed: number;
  pending: number;
}

class HostileReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const counts = new Map<string, Count>();
    const bump = (runnable: Mocha.Runnable, key: keyof Count): void => {
      const top = runnable.titlePath()[0] ?? '';
      const named = top.includes(':') ? top.slice(0, top.indexOf(':')).trim() : '';
      const category = CATEGORIES.includes(named) ? named : 'other';
      const c = counts.get(category) ?? { passed: 0, failed: 0, pending: 0 };
      c[key]++;
      counts.set(category, c);
    };
    runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => bump(t, 'passed'));
    runner.on(EVENT_TEST_FAIL, (t: Mocha.Runnable) => bump(t, 'failed'));
    runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => bump(t, 'pending'));
    // Registered after Spec's own handler, so this prints after mocha's epilogue.
    runner.once(EVENT_RUN_END, () => {
      const order = [...CATEGORIES, 'other'].filter((c) => counts.has(c));
      let passed = 0;
      let failed = 0;
      const lines = ['', 'hostile suite by category:'];
      for (const c of order) {
        const n = counts.get(c) as Count;
        passed += n.passed;
        failed += n.failed;
        lines.push(`  ${c.padEnd(10)} ${String(n.passed + n.failed).padStart(3)} tried, ${n.passed} passed, ${n.failed} failed${n.pending ? `, ${n.pending} pending` : ''}`);
      }
      lines.push(`hostile: ${passed} passed, ${failed} failed`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  }
}

export = HostileReporter;
