// Every workflow type the workers register; the bundler starts here.
export { SystemHealthWorkflow } from './systemHealth';
export { UpstreamHealthWorkflow } from './upstreamHealth';
export { RoundTripWorkflow } from './roundTrip';
export { TradeSyncWorkflow } from './tradeSync';
export { IngestFilingsWorkflow } from './ingestBatch';
export { NotifyUsersBatchWorkflow } from './notifyBatch';
export { NotificationProcessingWorkflow } from './notificationProcessing';
export { MemberSyncWorkflow } from './memberSync';
export { DailyMaintenanceWorkflow } from './dailyMaintenance';
export { WeeklyCleanupWorkflow } from './weeklyCleanup';
export { AnalyticsReportWorkflow } from './analyticsReport';
export { PriceUpdateWorkflow } from './priceUpdate';
export { ReportHealthCheckWorkflow } from './reportHealth';
