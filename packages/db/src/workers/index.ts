// Worker threads of ours: the .ts entry starter and the long-lived worker that callers share.
export {
  type CallOutcome,
  LongLivedWorker,
  type LongLivedWorkerOptions,
  type PostToWorker,
  type WorkerCall,
} from './long-lived-worker';
export { sharedVector } from './shared-vector';
export { wholeBuffer } from './whole-buffer';
