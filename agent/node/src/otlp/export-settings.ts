import { diag } from '@opentelemetry/api';
import type { Env } from '../otlp-target.js';
import type { CompactSpanLimits } from './compact-span.js';

/**
 * The standard variables of the batch span processor and the OTLP exporter, read as the SDK reads
 * them (`sdk-node` create-from-env, `otlp-exporter-base` shared-env-configuration), with the agent's
 * one difference: spans leave after 1 s rather than 5 s unless OTEL_BSP_SCHEDULE_DELAY says otherwise
 * (docs/design.md, "The agent's own export").
 */

export const DEFAULT_SCHEDULED_DELAY_MS = 1000;
export const DEFAULT_MAX_QUEUE_SIZE = 2048;
export const DEFAULT_MAX_EXPORT_BATCH_SIZE = 512;
/** The SDK's defaults for the span limits the agent's spans could reach. */
export const DEFAULT_ATTRIBUTE_COUNT_LIMIT = 128;
export const DEFAULT_EVENT_COUNT_LIMIT = 128;
/** Per export, retries included (the SDK's 10 s). */
export const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

export type OtlpCompression = 'gzip' | 'none';

export interface BatchSettings {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
}

export interface ExportSettings {
  timeoutMillis: number;
  compression: OtlpCompression;
}

function numberFrom(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (Number.isNaN(value)) {
    diag.warn(`Closewatch: ${name}=${raw} is not a number, using the default`);
    return undefined;
  }
  return value;
}

function nonNegative(env: Env, name: string): number | undefined {
  const value = numberFrom(env, name);
  return value !== undefined && value >= 0 ? value : undefined;
}

/** OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE (at most the queue size), OTEL_BSP_SCHEDULE_DELAY. */
export function batchSettings(env: Env): BatchSettings {
  const maxQueueSize = nonNegative(env, 'OTEL_BSP_MAX_QUEUE_SIZE') ?? DEFAULT_MAX_QUEUE_SIZE;
  const maxExportBatchSize = nonNegative(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE') ?? DEFAULT_MAX_EXPORT_BATCH_SIZE;
  return {
    maxQueueSize,
    maxExportBatchSize: Math.min(maxExportBatchSize, maxQueueSize),
    scheduledDelayMillis: nonNegative(env, 'OTEL_BSP_SCHEDULE_DELAY') ?? DEFAULT_SCHEDULED_DELAY_MS,
  };
}

function timeoutFrom(env: Env, name: string): number | undefined {
  const value = numberFrom(env, name);
  if (value === undefined) return undefined;
  if (Number.isFinite(value) && value > 0) return value;
  diag.warn(`Closewatch: ${name}=${env[name]} is invalid, expected a number greater than 0`);
  return undefined;
}

function compressionFrom(env: Env, name: string): OtlpCompression | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (value === 'gzip' || value === 'none') return value;
  diag.warn(`Closewatch: ${name}=${value} is invalid, expected 'none' or 'gzip'`);
  return undefined;
}

/** OTEL_(SPAN_)ATTRIBUTE_COUNT_LIMIT, OTEL_(SPAN_)ATTRIBUTE_VALUE_LENGTH_LIMIT and OTEL_SPAN_EVENT_COUNT_LIMIT; the span variable wins. */
export function spanLimits(env: Env): CompactSpanLimits {
  return {
    attributeCountLimit: nonNegative(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? nonNegative(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT') ?? DEFAULT_ATTRIBUTE_COUNT_LIMIT,
    attributeValueLengthLimit: nonNegative(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? nonNegative(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? Infinity,
    eventCountLimit: nonNegative(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT') ?? DEFAULT_EVENT_COUNT_LIMIT,
  };
}

/** OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT and OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION; the traces variable wins. */
export function exportSettings(env: Env): ExportSettings {
  return {
    timeoutMillis: timeoutFrom(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') ?? timeoutFrom(env, 'OTEL_EXPORTER_OTLP_TIMEOUT') ?? DEFAULT_EXPORT_TIMEOUT_MS,
    compression: compressionFrom(env, 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION') ?? compressionFrom(env, 'OTEL_EXPORTER_OTLP_COMPRESSION') ?? 'none',
  };
}
