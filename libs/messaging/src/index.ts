export { connectNats, DEFAULT_NATS_URL } from './connect';
export {
  ensureTopology,
  gigglesBuckets,
  gigglesStreams,
  objectStoreStreamName,
  TOPOLOGY_DEFAULTS,
  type BucketSpec,
  type StreamSpec,
  type TopologyOptions,
  type TopologyReport,
} from './topology';
export { publishDurable, type PublishResult } from './publish-durable';
export { runConsumer, type ConsumerHandle, type ConsumerHealth, type MessageContext, type RunConsumerOptions } from './consumer-runner';
export { ensureDurableConsumer, type DurableConsumerSpec } from './ensure-consumer';
export { backoffDelay, DEFAULT_BACKOFF_MS } from './backoff';
export { buildDeadLetter, publishDeadLetter } from './dead-letter';
export { isPermanentError, PermanentError, TransientError } from './errors';
export {
  deleteObject,
  getObjectStream,
  ObjectNotFoundError,
  openObjectBucket,
  putObjectStream,
  type ObjectBucket,
  type PutObjectMeta,
} from './object-store';
export { serveQueries, type QueryContext, type QueryHandler, type QueryHandlers, type QueryServer, type ServeQueriesOptions } from './query-server';
export { request, type RequestOptions } from './query-client';
export { QUERY_CLIENT_ERROR_CODES, QueryError } from './query-error';
export { extractTraceContext, injectTraceContext, payloadSpanAttributes } from './trace-context';
export { stderrLogger, type MessagingLogger } from './logger';
export { jsonDecoder } from './json-decoder';
export { ServiceNatsConnection, type ServiceConnectionSpec } from './service-connection';
