import type { PollRow, QaItemRow } from '../db/database.js';
import { AppError } from '../errors.js';
import type { QaItem } from '../realtime/messages.js';
import { type CsvFile, qaCsv } from './csv.js';
import { askedQuestion, type QaSettings, type QaSort, sortQa } from './qa.js';
import {
  changeUpvote,
  findQaItem,
  insertQaItem,
  listQaItems,
  setQaAnswered,
  setQaHighlight,
  setQaStatus,
  updateQaSettings,
  upvotedBy,
} from './qa-queries.js';
import { type Manager, type PollDeps, qaSettingsOf, requireManagedPoll, requirePoll } from './service.js';

// Audience Q&A: the audience asks and upvotes; the organizer approves, dismisses, marks answered
// and highlights one question on the presenter view. Every change reaches every screen live.

/** The most questions a page lists: a long session's newest and most upvoted. */
export const LISTED_QA = 200;

/** A question from the audience as the API shows it; its state only to the organizer. */
export function qaItemOf(row: QaItemRow, poll: Pick<PollRow, 'qa_highlight_id'>, forOrganizer = false): QaItem {
  return {
    id: row.id,
    text: row.text,
    name: row.name,
    upvotes: row.upvotes,
    answered: row.answered === 1,
    highlighted: poll.qa_highlight_id === row.id,
    createdAt: row.created_at,
    ...(forOrganizer ? { status: row.status } : {}),
  };
}

/** What the audience sees of a poll's Q&A: whether it is open, and its shown questions in the order asked for. */
export interface AudienceQa {
  settings: QaSettings;
  items: QaItem[];
  /** Those of the items this voter upvoted. */
  upvoted: number[];
  highlighted: QaItem | null;
}

export async function audienceQa(
  deps: PollDeps,
  poll: PollRow,
  voterId: string | undefined,
  sort: QaSort,
): Promise<AudienceQa> {
  const rows = await listQaItems(deps.db, poll.id, ['approved'], LISTED_QA);
  const items = sortQa(
    rows.map((row) => qaItemOf(row, poll)),
    sort,
  );
  const upvoted = voterId
    ? await upvotedBy(
        deps.db,
        voterId,
        items.map((item) => item.id),
      )
    : new Set<number>();
  return {
    settings: qaSettingsOf(poll),
    items,
    upvoted: [...upvoted],
    highlighted: items.find((item) => item.highlighted) ?? null,
  };
}

/** Takes a question from the audience; with moderation on (or profanity under the filter) it waits for the organizer. */
export async function askQuestion(
  deps: PollDeps,
  codeInput: string,
  voterId: string,
  input: { text: string; name?: string | undefined },
): Promise<QaItem> {
  const poll = await requirePoll(deps.db, codeInput);
  const asked = askedQuestion({ ...qaSettingsOf(poll), profanityFilter: poll.profanity_filter === 1 }, input);
  const id = await insertQaItem(deps.db, { ...asked, pollId: poll.id, voterId });
  deps.qa.changed(poll.id, id);
  return qaItemOf(await requireItem(deps, poll, id), poll, true);
}

/** Adds or takes back this voter's upvote of a shown question: once per voter, however often sent. */
export async function upvoteQuestion(
  deps: PollDeps,
  codeInput: string,
  voterId: string,
  itemId: number,
  up: boolean,
): Promise<QaItem & { upvoted: boolean }> {
  const poll = await requirePoll(deps.db, codeInput);
  const item = await requireItem(deps, poll, itemId);
  if (item.status !== 'approved') throw notFound();
  if (!qaSettingsOf(poll).open) {
    throw new AppError('qa_closed', 'errors.qaClosed');
  }
  const changed = await deps.db.transaction().execute((trx) => changeUpvote(trx, itemId, voterId, up));
  if (changed) deps.qa.changed(poll.id, itemId);
  return { ...qaItemOf(await requireItem(deps, poll, itemId), poll), upvoted: up };
}

/** What the organizer does with a question from the audience. */
export type QaAction = 'approve' | 'dismiss' | 'answered' | 'unanswered' | 'highlight' | 'unhighlight';

export async function moderateQuestion(
  deps: PollDeps,
  manager: Manager,
  codeInput: string,
  itemId: number,
  action: QaAction,
): Promise<QaItem> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  const item = await requireItem(deps, poll, itemId);
  let highlight = poll.qa_highlight_id;
  if (action === 'approve') await setQaStatus(deps.db, itemId, 'approved');
  if (action === 'dismiss') await setQaStatus(deps.db, itemId, 'dismissed');
  if (action === 'answered' || action === 'unanswered') await setQaAnswered(deps.db, itemId, action === 'answered');
  // Only a shown question can be on the presenter view: highlighting approves it, dismissing takes it off.
  if (action === 'highlight') {
    if (item.status !== 'approved') await setQaStatus(deps.db, itemId, 'approved');
    highlight = itemId;
  }
  if ((action === 'unhighlight' || action === 'dismiss') && highlight === itemId) highlight = null;
  if (highlight !== poll.qa_highlight_id) await setQaHighlight(deps.db, poll.id, highlight);
  deps.qa.changed(poll.id, itemId);
  return qaItemOf(await requireItem(deps, poll, itemId), { qa_highlight_id: highlight }, true);
}

/** Every question of the poll's Q&A, for its organizer: waiting, shown and dismissed. */
export interface ManagedQa {
  settings: QaSettings;
  pending: QaItem[];
  approved: QaItem[];
  dismissed: QaItem[];
}

export async function managedQa(deps: PollDeps, manager: Manager, codeInput: string, sort: QaSort): Promise<ManagedQa> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  const rows = await listQaItems(deps.db, poll.id, ['pending', 'approved', 'dismissed']);
  const of = (status: QaItemRow['status']) =>
    rows.filter((row) => row.status === status).map((row) => qaItemOf(row, poll, true));
  return {
    settings: qaSettingsOf(poll),
    // The oldest waiting question first: the organizer takes them in the order they came.
    pending: of('pending').reverse(),
    approved: sortQa(of('approved'), sort),
    dismissed: of('dismissed'),
  };
}

export async function changeQaSettings(
  deps: PollDeps,
  manager: Manager,
  codeInput: string,
  settings: Partial<QaSettings>,
): Promise<QaSettings> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  await updateQaSettings(deps.db, poll.id, settings);
  deps.qa.changed(poll.id, null);
  return { ...qaSettingsOf(poll), ...settings };
}

/** Every question from the audience, shown or not, as a spreadsheet. */
export async function qaExport(
  deps: PollDeps,
  manager: Manager,
  codeInput: string,
  exportedAt: Date,
): Promise<CsvFile> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  const rows = await listQaItems(deps.db, poll.id, ['pending', 'approved', 'dismissed']);
  return qaCsv({ poll, items: rows.reverse().map((row) => qaItemOf(row, poll, true)), exportedAt });
}

const notFound = () => new AppError('not_found', 'audience.qa.noSuchItem');

async function requireItem(deps: PollDeps, poll: PollRow, itemId: number): Promise<QaItemRow> {
  const item = await findQaItem(deps.db, itemId);
  if (!item || item.poll_id !== poll.id) throw notFound();
  return item;
}
