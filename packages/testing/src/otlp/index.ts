export {
  type FakeOtlpCollector,
  type OtlpAttributeValue,
  type ReceivedExport,
  type ReceivedLogRecord,
  type ReceivedMetricPoint,
  type ReceivedSpan,
  startFakeOtlpCollector,
} from "./fake-otlp-collector.js";
