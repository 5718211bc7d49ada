import type { ErrorCode } from '../errors.js';
import type { ResultsMessage } from '../realtime/messages.js';
import { deleteQuestionLabel, deleteQuestionPrompt, megabytes, votesLabel } from '../views/format.js';
import { confirmDestructiveForms } from './confirm-forms.js';
import { enhanceKindFields } from './kind-fields.js';
import { followPoll } from './live-client.js';
import { messagesLoaded, t } from './messages.js';
import { enhanceOptionRows } from './option-rows.js';
import {
  applyResults,
  atMostEverySecond,
  countsNotInMessages,
  refreshResults,
  showJoined,
  syncDataset,
} from './results-dom.js';

// The organizer's poll page: upload with progress, option rows, and the live counts moving.

const admin = document.getElementById('admin');
const form = document.getElementById('upload-form') as HTMLFormElement | null;
const progress = document.getElementById('upload-progress');

function showProgress(text: string, value: number | null, isError = false) {
  if (!progress) return;
  progress.hidden = false;
  progress.classList.toggle('error', isError);
  const bar = progress.querySelector('progress');
  if (bar) {
    bar.hidden = isError;
    if (value === null) bar.removeAttribute('value');
    else bar.value = value;
  }
  const status = progress.querySelector('p');
  if (status) status.textContent = text;
}

if (admin && form) {
  const pollCode = admin.dataset.pollCode ?? 'default';
  const csrf = admin.dataset.csrf ?? '';
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const useLocalOcr = document.getElementById('use-local-ocr');
  useLocalOcr?.addEventListener('click', () => {
    const local = form.querySelector<HTMLInputElement>('input[name="ocr"][value="local"]');
    if (local) local.checked = true;
    form.requestSubmit();
  });

  const maxBytes = Number(form.dataset.maxBytes);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    // The first upload fetches the page's messages: the button waits with it.
    if (button) button.disabled = true;
    await messagesLoaded();
    // Say at once that a file is too large, rather than after uploading it.
    for (const [field, tooLarge] of [
      ['question_image', () => t('browser.upload.questionImageTooLarge', { size: megabytes(maxBytes) })],
      ['options_image', () => t('browser.upload.optionsImageTooLarge', { size: megabytes(maxBytes) })],
    ] as const) {
      const file = data.get(field);
      if (file instanceof File && maxBytes > 0 && file.size > maxBytes) {
        showProgress(tooLarge(), null, true);
        if (button) button.disabled = false;
        return;
      }
    }
    const activate = form.querySelector<HTMLInputElement>('input[type="checkbox"][name="activate"]')?.checked ?? true;
    data.delete('activate');
    data.set('activate', String(activate));
    const request = new XMLHttpRequest();
    request.open('POST', `/api/admin/polls/${encodeURIComponent(pollCode)}/questions/from-images`);
    request.setRequestHeader('x-csrf-token', csrf);
    request.responseType = 'json';
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) showProgress(t('browser.upload.uploading'), Math.round((e.loaded / e.total) * 100));
    };
    request.upload.onload = () => showProgress(t('browser.upload.reading'), null);
    request.onload = () => {
      const body = request.response as {
        question?: { id: number; status: string };
        error?: { code: ErrorCode; message: string };
      } | null;
      if (request.status === 201 && body?.question) {
        showProgress(t('browser.upload.done'), 100);
        const notice = body.question.status === 'live' ? 'activated' : 'created';
        location.assign(`${admin.dataset.adminPath ?? '/admin'}?review=${body.question.id}&notice=${notice}#review`);
        return;
      }
      if (button) button.disabled = false;
      const error = body?.error;
      // The provider failed (down, slow, refusing): the same images may still be read locally.
      const providerFailed = error?.code.startsWith('ocr_') && data.get('ocr') === 'configured';
      if (useLocalOcr) useLocalOcr.hidden = !providerFailed;
      const message = error?.message ?? t('browser.upload.failed', { status: String(request.status) });
      showProgress(providerFailed ? t('browser.upload.providerFailed', { message }) : message, null, true);
    };
    request.onerror = () => {
      if (button) button.disabled = false;
      showProgress(t('browser.upload.unreachable'), null, true);
    };
    if (button) button.disabled = true;
    if (useLocalOcr) useLocalOcr.hidden = true;
    showProgress(t('browser.upload.uploading'), 0);
    request.send(data);
  });
}

const live = document.getElementById('live');
const questionList = document.getElementById('questions');

/** Swaps in the server's rendering of the live card and the question list, leaving the forms untouched. */
async function refreshLiveParts(): Promise<void> {
  const response = await fetch(location.pathname, { credentials: 'same-origin' });
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  for (const current of [live, questionList]) {
    const fresh = current && page.getElementById(current.id);
    if (current && fresh) current.innerHTML = fresh.innerHTML;
  }
  if (live) syncDataset(live);
}

/** A question's count in the list, and what deleting it would take, as the votes arrive (messages loaded). */
function updateListedVotes(message: ResultsMessage): void {
  const row = questionList?.querySelector<HTMLElement>(`li[data-question-id="${message.questionId}"]`);
  if (!row) return;
  const count = row.querySelector('.question-votes');
  if (count) count.textContent = votesLabel(message.totalVotes);
  const remove = row.querySelector<HTMLFormElement>('form[data-confirm]');
  const text = row.querySelector('.question-text')?.textContent ?? '';
  if (remove) {
    remove.dataset.confirm = deleteQuestionPrompt(text, message.totalVotes);
    remove.dataset.confirmLabel = deleteQuestionLabel(message.totalVotes);
  }
}

/** An open question's moderation list stays as it is while answers arrive; a button offers the newer ones. */
function offerNewerAnswers(message: ResultsMessage): void {
  const offer = live?.querySelector<HTMLElement>('.newer-answers');
  if (!offer || !('answers' in message)) return;
  const listed = new Set(
    [...(live?.querySelectorAll<HTMLElement>('.moderation [data-answer-id]') ?? [])].map(
      (item) => item.dataset.answerId,
    ),
  );
  offer.hidden = message.answers.every((answer) => listed.has(String(answer.id)));
}

if (live) {
  live.addEventListener('click', (event) => {
    if (event.target instanceof HTMLElement && event.target.closest('[data-show-newer]')) void refreshLiveParts();
  });
  const refreshCounts = atMostEverySecond(() => refreshResults(live, location.pathname));
  followPoll(live.dataset.pollCode ?? 'default', {
    async question(question, kind) {
      const changed = (question?.id ?? 0) !== Number(live.dataset.questionId || 0);
      // A newer version on reconnecting: the question was closed or edited meanwhile.
      const newer = question !== null && question.version > Number(live.dataset.version || 0);
      if (kind !== 'question' && !changed && !newer) return;
      await refreshLiveParts();
    },
    results(message) {
      if (countsNotInMessages(live, message)) refreshCounts();
      else applyResults(live, message);
      // Words: the page's messages are fetched by the first count that needs them.
      void messagesLoaded().then(() => updateListedVotes(message));
      offerNewerAnswers(message);
    },
    audience: showJoined,
  });
}

const typed = document.querySelector<HTMLFormElement>('.typed-form');
if (typed) {
  enhanceOptionRows(typed);
  enhanceKindFields(typed);
}
// The review step's kind: only the settings of the kind picked show.
const review = document.querySelector<HTMLFormElement>('.edit-form');
if (review) enhanceKindFields(review);
confirmDestructiveForms();
