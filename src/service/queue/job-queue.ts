/**
 * Who runs submitted jobs: the local scheduler (child processes of this
 * server, at most --workers at once) or Redis/BullMQ workers on any machine.
 * Either way the SQLite record is what the API reads.
 */
export interface JobQueue {
  /** Starts running (or dispatching) jobs, including those left from before a restart. */
  start(): Promise<void>;
  /** A new record in state `queued` is ready. */
  submit(id: string): Promise<void>;
  /** Stops a queued or running job; resolves once the request is passed on. */
  cancel(id: string): Promise<void>;
  /** Called after a finished job's record and files are deleted. */
  forget(id: string): Promise<void>;
  /** Stops taking jobs; running ones are interrupted and queued again for the next start. */
  close(): Promise<void>;
}
