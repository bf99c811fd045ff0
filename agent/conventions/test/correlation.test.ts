import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripCorrelationParam } from '../src/index.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test('stripCorrelationParam removes __cw from a Node req.url and returns its value', () => {
  assert.deepEqual(stripCorrelationParam(`/ws?room=1&__cw=${TRACEPARENT}&x=a+b`), { url: '/ws?room=1&x=a+b', traceparent: TRACEPARENT });
});

test('stripCorrelationParam drops the ? when __cw was the only parameter', () => {
  assert.deepEqual(stripCorrelationParam(`/ws?__cw=${TRACEPARENT}`), { url: '/ws', traceparent: TRACEPARENT });
});

test('stripCorrelationParam works on absolute URLs and keeps the fragment', () => {
  assert.deepEqual(stripCorrelationParam(`wss://h:1/ws?__cw=${encodeURIComponent(TRACEPARENT)}#f`), { url: 'wss://h:1/ws#f', traceparent: TRACEPARENT });
});

test('stripCorrelationParam leaves a URL without __cw untouched', () => {
  assert.deepEqual(stripCorrelationParam('/ws?a=1&__cwx=2'), { url: '/ws?a=1&__cwx=2', traceparent: null });
  assert.deepEqual(stripCorrelationParam('/ws'), { url: '/ws', traceparent: null });
});

test('stripCorrelationParam removes every __cw and keeps the first value', () => {
  assert.deepEqual(stripCorrelationParam('/ws?__cw=first&a=1&__cw=second'), { url: '/ws?a=1', traceparent: 'first' });
});
