// Every workflow type the workers register; the bundler starts here.
export { SystemHealthWorkflow } from './systemHealth';
export { TradeSyncWorkflow } from './tradeSync';
export { NotifyUsersBatchWorkflow } from './notifyBatch';
export { NotificationProcessingWorkflow } from './notificationProcessing';
export { MemberSyncWorkflow } from './memberSync';
export { ReportHealthCheckWorkflow } from './reportHealth';
