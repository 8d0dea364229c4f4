/** Where team mode's queue is, read without loading its client (BullMQ, Redis): `pipelab run` asks on every run. */

/** REDIS_URL turns on team mode: runs go through the queue to `pipelab worker` processes. */
export function queueUrl(): string | undefined {
  return process.env.REDIS_URL?.trim() || undefined;
}

/** The queue's name (PIPELAB_QUEUE): installations sharing one Redis keep their runs apart with it. */
export function queueName(): string | undefined {
  return process.env.PIPELAB_QUEUE?.trim() || undefined;
}
