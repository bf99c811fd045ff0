import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as A from '../src/attributes.js';
import { SNIPPET_KEYS, completeBrowserAttributes, expandSnippetKeys } from '../src/snippet-keys.js';

const attributeKeys = new Set<string>(
  Object.entries(A)
    .filter(([name]) => name.startsWith('ATTR_'))
    .map(([, key]) => String(key)),
);

test('every short key stands for one conventions attribute key, and durations keep an ms ending', () => {
  const shortKeys = Object.values(SNIPPET_KEYS);
  assert.equal(new Set(shortKeys).size, shortKeys.length, 'no short key is used twice');
  for (const [full, short] of Object.entries(SNIPPET_KEYS)) {
    assert.ok(attributeKeys.has(full), `${full} is a conventions attribute key`);
    assert.doesNotMatch(short, /\./, `${short} cannot collide with a dotted OpenTelemetry key`);
    assert.equal(short.endsWith('ms'), full.endsWith('_ms'), `${short} → ${full}: the snippet types numbers by an ms ending`);
  }
});

test('expandSnippetKeys renames short keys, keeps the rest, and lets a full key win over its short key', () => {
  assert.deepEqual(expandSnippetKeys({ c: 1006, hms: 2.5, 'service.custom': 'x' }), {
    [A.ATTR_CLOSE_CODE]: 1006,
    [A.ATTR_HANDSHAKE_DURATION_MS]: 2.5,
    'service.custom': 'x',
  });
  assert.deepEqual(expandSnippetKeys({ [A.ATTR_CLOSE_CODE]: 1000, c: 1006 }), { [A.ATTR_CLOSE_CODE]: 1000 });
  assert.deepEqual(expandSnippetKeys({ c: 1006, [A.ATTR_CLOSE_CODE]: 1000 }), { [A.ATTR_CLOSE_CODE]: 1000 });
  const input = { c: 1 };
  expandSnippetKeys(input);
  assert.deepEqual(input, { c: 1 }, 'the input is not changed');
});

test('completeBrowserAttributes derives phase and initiator, and defaults the flags to false', () => {
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{ o: false }, 'handshake', 'unknown'],
    [{ o: false, C: true }, 'handshake', 'client'],
    [{ o: true, w: true, c: 1000 }, 'open', 'server'],
    [{ o: true, w: false, c: 1006 }, 'open', 'unknown'],
    // The app closed an open socket and the closing handshake completed: it ended from the open phase.
    [{ o: true, C: true, w: true, c: 1000 }, 'open', 'client'],
    [{ o: true, C: true, w: true, c: 1005 }, 'open', 'client'],
    // The app's close frame got no answer: the connection ended in the closing phase.
    [{ o: true, C: true, w: false, c: 1006 }, 'closing', 'client'],
  ];
  for (const [wire, phase, initiator] of cases) {
    const complete = completeBrowserAttributes(wire as Record<string, string | boolean>);
    assert.equal(complete[A.ATTR_PHASE], phase, JSON.stringify(wire));
    assert.equal(complete[A.ATTR_CLOSE_INITIATOR], initiator, JSON.stringify(wire));
    for (const flag of [A.ATTR_BROWSER_WENT_OFFLINE, A.ATTR_BROWSER_FROZEN, A.ATTR_BROWSER_PAGE_UNLOADING, A.ATTR_PROPAGATED]) {
      assert.equal(complete[flag], false, `${flag} absent reads as false`);
    }
  }
  const sent = completeBrowserAttributes({ o: true, f: true, P: true, [A.ATTR_PHASE]: 'closing', [A.ATTR_CLOSE_INITIATOR]: 'server' });
  assert.equal(sent[A.ATTR_BROWSER_WENT_OFFLINE], true);
  assert.equal(sent[A.ATTR_PROPAGATED], true);
  assert.equal(sent[A.ATTR_PHASE], 'closing', 'values the span carries are kept');
  assert.equal(sent[A.ATTR_CLOSE_INITIATOR], 'server');
});
