import type { TopicsResponse } from '../../protocol';
import { api } from './api';

let cached: Promise<TopicsResponse> | null = null;

/** The tenant's topics and whether resolving needs one, fetched once per page load (again after a failure). */
export function loadTopics(): Promise<TopicsResponse> {
  cached ??= api<TopicsResponse>('/v1/agent/topics').catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}
