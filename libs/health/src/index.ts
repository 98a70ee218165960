export { HealthModule } from './health.module';
export { HealthController, MetricsController } from './health.controller';
export { HealthRegistry, type JetStreamWorkerHealth, type ReadinessCheck } from './health-registry';
export { MetricsService } from './metrics.service';
export { HEALTH_DEFAULTS, HEALTH_MODULE_OPTIONS, HEALTH_SERVER_CONFIG, type HealthModuleOptions } from './health-options';
export { checkNats, type NatsIndicatorOptions } from './indicators/nats.indicator';
export { checkConsumer, countsOf, JetStreamConsumerProbe, type ConsumerCounts, type ConsumerProbeOptions } from './indicators/consumer.indicator';
export { checkPipeline, PipelineProgress, type PipelineIndicatorOptions, type RunnerState } from './indicators/pipeline.indicator';
export { checkMemory, MEMORY_DEFAULTS, type MemoryIndicatorOptions } from './indicators/memory.indicator';
export { checkEventLoop, EventLoopMonitor } from './indicators/event-loop.indicator';
export { startServiceApp, type ServiceAppOptions } from './service-app';
export { evaluateReadiness, type ReadinessReport } from './nats/readiness';
export { parseServiceHealthReply, type ServiceHealthReply } from './nats/health-reply';
export { HEALTH_QUEUE_GROUP, NatsHealthResponder } from './nats/health-responder';
export { healthSubjectOf } from './nats/health-subject';
export {
  SERVICE_HEALTH_PROBE_DEFAULTS,
  ServiceHealthProbe,
  type ServiceHealth,
  type ServiceHealthProbeOptions,
  type ServiceName,
  type ServicesHealth,
} from './nats/service-health-probe';
