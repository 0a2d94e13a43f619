import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { table } from './reliability/table.js';

describe('the reliability table', () => {
  it('prints one markdown table per section that has figures, in a fixed order', () => {
    const out = table([
      { section: 'soak', what: 'player events', count: 200000, rssGrowthMB: 0.4, heapGrowthMB: 0.12, leaks: '0 / 0' },
      { section: 'fault', fault: 'broker SIGKILL', repetitions: 3, worstRecoveryMs: 1210, messagesLost: 0 },
    ]);
    assert.equal(
      out,
      [
        '### Faults\n\n| fault | repetitions | worst recovery | messages lost |\n|---|---|---|---|\n| broker SIGKILL | 3 | 1210 ms | 0 |\n',
        '### Soak\n\n| what | count | RSS growth | heap growth after GC | listeners / timers |\n|---|---|---|---|---|\n| player events | 200000 | 0.40 MB | 0.12 MB | 0 / 0 |\n',
      ].join('\n'),
    );
  });
  it('says so when nothing was recorded', () => assert.equal(table([]), 'no figures were recorded'));
});
