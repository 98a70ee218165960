import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { context, propagation, trace } from '@opentelemetry/api';
import { core, NodeSDK } from '@opentelemetry/sdk-node';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP collector base URL (`/v1/traces` is appended). Unset: nothing is exported. */
  otlpEndpoint?: string;
}

export interface Telemetry {
  /** True when spans are recorded and exported. */
  readonly exporting: boolean;
  /** Flushes pending spans; call on shutdown. */
  shutdown(): Promise<void>;
}

/** Injection token of `telemetryShutdownProvider`. */
export const TELEMETRY_SHUTDOWN = Symbol('giggles.telemetry-shutdown');

/**
 * A NestJS provider whose `onApplicationShutdown` flushes the spans: add it to a service's
 * module and tracing stops as part of the app's own shutdown sequence (Nest calls lifecycle hooks
 * on value providers too; written structurally so this library needs no Nest import).
 */
export function telemetryShutdownProvider(telemetry: Telemetry): { provide: symbol; useValue: { onApplicationShutdown(): Promise<void> } } {
  return { provide: TELEMETRY_SHUTDOWN, useValue: { onApplicationShutdown: () => telemetry.shutdown() } };
}

/**
 * Starts OpenTelemetry tracing once per process, before the app is built. With an endpoint the
 * NodeSDK exports spans over OTLP/HTTP. Without one nothing is recorded, but the W3C propagator
 * is still registered so trace context arriving in NATS headers is passed on to the next
 * service unchanged — a service without a collector does not break a trace.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (!options.otlpEndpoint) {
    propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
    return { exporting: false, shutdown: async () => propagation.disable() };
  }
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    traceExporter: new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }),
    textMapPropagator: new core.W3CTraceContextPropagator(),
    // Logs and metrics have their own paths (pino, Prometheus); keep the SDK from exporting them.
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return {
    exporting: true,
    async shutdown() {
      await sdk.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
