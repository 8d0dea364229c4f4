'use client';

import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useId, useState, type ReactNode } from 'react';
import { errorMessage, useTRPC } from '../../trpc';
import { formatTime, formatWhen } from '../format';
import styles from './ActivityPage.module.css';
import ui from '../ui.module.css';

interface ActivityItem {
  id: number;
  actorName: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  subjectName: string;
  detail: string;
  at: number;
}

function quoted(name: string, href?: string): ReactNode {
  const text = `“${name}”`;
  return href ? <Link href={href}>{text}</Link> : text;
}

/** The words after the person's name: "ran “Campaign response”", "invited bea@example.com as viewer". */
export function describeActivity(item: ActivityItem): { words: ReactNode; detail: string } {
  const name = item.subjectName;
  const id = item.subjectId;
  const detail = item.detail;
  switch (item.subjectType) {
    case 'run': {
      const href = id ? `/editor?run=${encodeURIComponent(id)}` : undefined;
      if (item.action === 'ran') return { words: <>ran {quoted(name || 'a pipeline', href)}</>, detail };
      if (item.action === 'cancelled') return { words: <>cancelled a run of {quoted(name || 'a pipeline', href)}</>, detail };
      break;
    }
    case 'pipeline': {
      const href = id && item.action !== 'deleted' ? `/editor/${encodeURIComponent(id)}` : undefined;
      return { words: <>{item.action} {quoted(name || 'a pipeline', href)}</>, detail };
    }
    case 'file':
      return { words: <>{item.action} the file {quoted(name)}</>, detail };
    case 'share link':
      if (item.action === 'shared') return { words: <>shared {quoted(name)} with a read-only link</>, detail };
      if (item.action === 'unshared') return { words: name ? <>turned off the read-only link to {quoted(name)}</> : <>turned off read-only links</>, detail };
      break;
    case 'prediction API':
      return { words: <>{item.action} the prediction API {quoted(name)}</>, detail };
    case 'invitation':
      if (item.action === 'invited') return { words: <>invited {name}{detail ? ` ${detail}` : ''}</>, detail: '' };
      if (item.action === 'removed') return { words: <>revoked the invitation for {name}</>, detail };
      break;
    case 'member':
      if (item.action === 'joined') return { words: <>joined the workspace{detail ? ` ${detail}` : ''}</>, detail: '' };
      if (item.action === 'removed') return { words: <>removed {name}</>, detail };
      if (item.action === 'role changed') return { words: <>changed the role of {name}</>, detail };
      break;
    case 'workspace':
      if (item.action === 'renamed') return { words: <>renamed the workspace to {quoted(name)}</>, detail };
      if (item.action === 'created') return { words: <>created the workspace {quoted(name)}</>, detail };
      if (item.action === 'imported') return { words: <>moved the work saved before accounts into {quoted(name)}</>, detail };
      break;
  }
  return { words: <>{item.action} {item.subjectType}{name ? <> {quoted(name)}</> : null}</>, detail };
}

function ActivityLine({ item }: { item: ActivityItem }) {
  const { words, detail } = describeActivity(item);
  return (
    <li className={styles.activityLine} data-testid="activity-line" data-action={item.action}>
      <span>
        <span className={styles.activityActor}>{item.actorName}</span> {words}
        {detail && <span className={styles.activityDetail}> ({detail})</span>}
      </span>
      <span className={styles.activityWhen} title={formatTime(item.at)}>
        · {formatWhen(item.at)}
      </span>
    </li>
  );
}

/** What happened in the workspace, newest first, by anyone or by one person; "Older" pages back. */
export function ActivityPage() {
  const trpc = useTRPC();
  const filterId = useId();
  const [person, setPerson] = useState('');
  // The id of the last line of each page already shown: the next page starts below it.
  const [cursors, setCursors] = useState<number[]>([]);
  const userId = person || undefined;

  const first = useQuery(trpc.activity.list.queryOptions({ userId }, { placeholderData: keepPreviousData, staleTime: 0, refetchInterval: 30_000 }));
  const older = useQueries({ queries: cursors.map((before) => trpc.activity.list.queryOptions({ userId, before })) });
  const pages = [first, ...older];
  const items = pages.flatMap((page) => page.data?.items ?? []);
  const last = pages[pages.length - 1];
  const loadingMore = older.some((page) => page.isPending);
  const reachedEnd = cursors.length > 0 && last.data?.items.length === 0;
  const error = pages.find((page) => page.error)?.error;
  const people = first.data?.people ?? [];

  return (
    <div className={`page ${ui.accountPage}`} data-testid="activity-page">
      <div className="page-head">
        <div>
          <h1>Activity</h1>
          <p className="muted">Who did what in this workspace: runs, saves, shares, invitations and role changes.</p>
        </div>
      </div>
      <div className={styles.activityFilters}>
        <label htmlFor={filterId} className="small">
          <strong>Person</strong>
        </label>
        <select id={filterId} value={person} onChange={(event) => {
            setPerson(event.target.value);
            setCursors([]);
          }}
          data-testid="activity-person">
          <option value="">Everyone</option>
          {people.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
        </select>
      </div>
      {first.isPending && <p className="muted">Loading…</p>}
      {error && (
        <p className="error-text" role="alert">
          Activity could not be loaded: {errorMessage(error)}
        </p>
      )}
      {first.data && items.length === 0 && <p className="empty-state">Nothing has happened here yet.</p>}
      {items.length > 0 && (
        <ul className={`${styles.activityList}${first.isPlaceholderData ? ` ${ui.loadingFade}` : ''}`} data-testid="activity-list">
          {items.map((item) => (
            <ActivityLine key={item.id} item={item} />
          ))}
        </ul>
      )}
      {items.length > 0 && (
        <div className={styles.activityMore}>
          {reachedEnd ? (
            <span className="muted small">That is everything.</span>
          ) : (
            <button
              type="button"
              className="button"
              disabled={loadingMore}
              onClick={() => setCursors([...cursors, items[items.length - 1].id])}
              data-testid="activity-older"
            >
              {loadingMore ? 'Loading…' : 'Older'}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
