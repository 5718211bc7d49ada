import Type, { type Static } from 'typebox';
import { MAX_ROW_ID } from '../db/database.js';
import { LOCALES } from '../i18n/locales.js';
import { ChoiceFields } from './kinds/choice/kind.js';
import { KIND_NAMES, KINDS_WITH_OPTIONS } from './kinds/index.js';
import { MultiFields, MultiNewFields, MultiVoteFields } from './kinds/multi/kind.js';
import { OptionId, OptionTexts } from './kinds/options.js';
import { QuizNewFields, RightPlaces } from './kinds/quiz.js';
import { RankingFields, RankingVoteFields } from './kinds/ranking/kind.js';
import { RatingFields, RatingNewFields, RatingVoteFields } from './kinds/rating/kind.js';
import { OpenAnswer, TextFields, TextVoteFields } from './kinds/text/kind.js';
import { WordcloudFields, WordcloudNewFields, WordcloudVoteFields } from './kinds/wordcloud/kind.js';
import { MAX_TIMER_SEC, MIN_TIMER_SEC } from './timer-limits.js';

// The JSON shapes of the polls API; the same schemas validate requests and serialize answers.

/** The body of a state change that needs none: nothing, or `{}`; a field it does not know is refused. */
export const NoBody = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })], {
  description: 'No body is needed; `{}` is accepted, any field refused',
});

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) });
export const QuestionIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_ROW_ID }) });

/** The fields of the question object that every kind shares. */
const QuestionBase = {
  id: Type.Integer(),
  pollCode: Type.String(),
  text: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('live'), Type.Literal('closed')]),
  totalVotes: Type.Integer({ description: 'how many voters answered' }),
  version: Type.Integer(),
  createdAt: Type.String(),
  hiddenResults: Type.Optional(
    Type.Object(
      {
        revealed: Type.Boolean({ description: 'the organizer revealed the results: everyone sees them now' }),
        withheld: Type.Boolean({
          description:
            'this copy holds no counts (all zero, no words, no answers), only how many answered: the audience’s, before the reveal',
        }),
      },
      { description: 'on a question that keeps its results from the audience until the organizer reveals them' },
    ),
  ),
  timeLimitSec: Type.Optional(
    Type.Integer({ description: 'seconds of voting each time the question goes live; absent: no limit' }),
  ),
  closesAt: Type.Optional(
    Type.String({ description: 'while a countdown runs on the live question: when voting closes (ISO 8601, UTC)' }),
  ),
  closesInMs: Type.Optional(
    Type.Integer({
      description:
        'with `closesAt`: how long from when this copy was made; count down from it, not from a device’s clock',
    }),
  ),
};

/** The question object of the API and of the live messages: the fields every kind shares, then its kind's own. */
export const QuestionSchema = Type.Union([
  Type.Object({ ...QuestionBase, ...ChoiceFields }, { description: 'single choice' }),
  Type.Object({ ...QuestionBase, ...MultiFields }, { description: 'multiple choice' }),
  Type.Object({ ...QuestionBase, ...RatingFields }, { description: 'rating on a scale' }),
  Type.Object({ ...QuestionBase, ...RankingFields }, { description: 'ranking' }),
  Type.Object({ ...QuestionBase, ...WordcloudFields }, { description: 'word cloud' }),
  Type.Object({ ...QuestionBase, ...TextFields }, { description: 'open text' }),
]);

const NullableQuestion = Type.Union([QuestionSchema, Type.Null()]);

export const VoteRulesSchema = Type.Object({
  oneVotePerAddress: Type.Boolean({ description: 'At most one vote per question from each network address' }),
  votesChangeable: Type.Boolean({ description: 'Voters may change their vote until the question closes' }),
  profanityFilter: Type.Boolean({
    description: 'Words of clouds and open answers with profanity in them are kept from every screen',
  }),
  hideResults: Type.Boolean({
    description: 'New questions keep their results from the audience until the organizer reveals them',
  }),
  language: Type.Union([Type.Enum(LOCALES), Type.Null()], {
    description:
      'The language of the audience’s pages (voting, results, presenter view) for visitors who have not picked one; null: each visitor’s browser decides',
  }),
});

export const VoteRulesBody = Type.Partial(VoteRulesSchema, { additionalProperties: false, minProperties: 1 });

export const PollRulesSchema = Type.Object({ code: Type.String(), title: Type.String(), rules: VoteRulesSchema });

export const QaSettingsSchema = Type.Object({
  open: Type.Boolean({ description: 'the audience may ask questions' }),
  moderated: Type.Boolean({
    description: 'each question waits for the organizer’s approval before anyone else sees it',
  }),
  named: Type.Boolean({ description: 'askers may give their name; else every question is anonymous' }),
});

export const PollSchema = Type.Object({
  code: Type.String(),
  title: Type.String(),
  rules: VoteRulesSchema,
  qa: QaSettingsSchema,
  liveQuestion: Type.Union([QuestionSchema, Type.Null()], { description: 'the question open for votes, if any' }),
  currentQuestion: Type.Union([QuestionSchema, Type.Null()], {
    description:
      'the question the screens show: the one most recently made live, with status `closed` and its final results once voting ended, until another goes live',
  }),
});

export const ResultsSchema = Type.Object({ question: NullableQuestion });
export const QuestionEnvelope = Type.Object({ question: QuestionSchema });
export const OpenAnswersSchema = Type.Object({
  answers: Type.Array(
    Type.Object({
      ...OpenAnswer.properties,
      hidden: Type.Boolean({ description: 'kept from the screens, by the organizer or the profanity filter' }),
    }),
  ),
});
export const QuestionListSchema = Type.Object({ questions: Type.Array(QuestionSchema) });

/** A word of a cloud, or an open answer, to hide from every screen or show again. */
export const ModerationBody = Type.Union(
  [
    Type.Object(
      { text: Type.String({ minLength: 1, maxLength: 100, description: 'a word of a word cloud' }) },
      { additionalProperties: false },
    ),
    Type.Object(
      { answerId: Type.Integer({ minimum: 1, maximum: MAX_ROW_ID, description: 'an answer to an open question' }) },
      { additionalProperties: false },
    ),
  ],
  { description: '`{text}` for a word cloud, `{answerId}` for an open question' },
);

const HiddenBy = Type.Union([Type.Literal('organizer'), Type.Literal('filter')], {
  description: 'who hid it: the organizer, or the poll’s profanity filter',
});

export const HiddenListSchema = Type.Object({
  hidden: Type.Object({
    words: Type.Array(Type.Object({ text: Type.String(), count: Type.Integer(), by: HiddenBy })),
    answers: Type.Array(
      Type.Object({ id: Type.Integer(), text: Type.String(), createdAt: Type.String(), by: HiddenBy }),
    ),
  }),
});

export const MoveQuestionBody = Type.Object(
  { direction: Type.Union([Type.Literal('up'), Type.Literal('down')], { description: 'one place up or down' }) },
  { additionalProperties: false },
);

/** A vote: the question, and the answer in the fields of the question's kind. */
export const VoteBody = Type.Object(
  {
    questionId: Type.Integer({ minimum: 1, maximum: MAX_ROW_ID }),
    optionId: Type.Optional(OptionId),
    ...MultiVoteFields,
    ...RatingVoteFields,
    ...RankingVoteFields,
    ...WordcloudVoteFields,
    ...TextVoteFields,
  },
  // The question and at least one field of an answer.
  { additionalProperties: false, required: ['questionId'], minProperties: 2 },
);

/** A vote's answer, as its question's kind reads it. */
export type VoteFields = Omit<Static<typeof VoteBody>, 'questionId'>;

const QuestionText = Type.String({ minLength: 1, maxLength: 2000 });
const TimerSeconds = Type.Integer({
  minimum: MIN_TIMER_SEC,
  maximum: MAX_TIMER_SEC,
  description: `seconds of voting, from ${MIN_TIMER_SEC} to ${MAX_TIMER_SEC}`,
});

/** A countdown on the live question. */
export const TimerBody = Type.Object({ seconds: TimerSeconds }, { additionalProperties: false });
const QuestionKindName = Type.Enum(KIND_NAMES, {
  description: 'the kind of question; `choice` (single choice) when left out',
});

export const NewQuestionBody = Type.Object(
  {
    kind: Type.Optional(QuestionKindName),
    text: QuestionText,
    options: Type.Optional(OptionTexts),
    ...MultiNewFields,
    ...RatingNewFields,
    ...WordcloudNewFields,
    ...QuizNewFields,
    timeLimitSec: Type.Optional(TimerSeconds),
    hideResults: Type.Optional(
      Type.Boolean({
        description:
          'keep the results from the audience (they see how many answered) until the organizer reveals them; the poll’s rule when left out',
      }),
    ),
    activate: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A typed question's fields, which its kind holds to its rules. */
export type NewQuestionFields = Omit<Static<typeof NewQuestionBody>, 'activate' | 'hideResults' | 'timeLimitSec'>;

export const EditQuestionBody = Type.Object(
  {
    text: Type.Optional(QuestionText),
    options: Type.Optional(OptionTexts),
    kind: Type.Optional(
      Type.Enum(KINDS_WITH_OPTIONS, {
        description: 'single choice, multiple choice and ranking change among themselves, before the first vote',
      }),
    ),
    ...MultiNewFields,
    correct: Type.Optional(
      Type.Union([RightPlaces, Type.Null()], { description: 'the right options’ places; null: no quiz' }),
    ),
    hideResults: Type.Optional(
      Type.Boolean({
        description:
          'keep the results from the audience until revealed; hiding them again after a reveal needs a new reveal',
      }),
    ),
    timeLimitSec: Type.Optional(
      Type.Union([TimerSeconds, Type.Null()], {
        description: 'seconds of voting from the next time it goes live; null: no limit',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** The changes an edit asks for. */
export type QuestionEdit = Static<typeof EditQuestionBody>;

export const FromImagesResponse = Type.Object({
  question: QuestionSchema,
  ocr: Type.Object({ provider: Type.String(), model: Type.String(), ms: Type.Integer() }),
});

export const PollUrlsSchema = Type.Object({
  vote: Type.String(),
  results: Type.String(),
  share: Type.String(),
  present: Type.String(),
});

export const PollListingSchema = Type.Object({
  code: Type.String(),
  title: Type.String(),
  createdAt: Type.String(),
  hasOwner: Type.Boolean({ description: 'false for a quick poll, made without an account' }),
  questionCount: Type.Integer(),
  liveQuestion: Type.Union([Type.String(), Type.Null()], { description: 'the text of the live question' }),
});

export const PollListSchema = Type.Object({ polls: Type.Array(PollListingSchema) });

export const NewPollBody = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const CreatedPollSchema = Type.Object({
  code: Type.String(),
  title: Type.String(),
  createdAt: Type.String(),
  urls: PollUrlsSchema,
});

export const QuickPollBody = Type.Object(
  {
    kind: Type.Optional(QuestionKindName),
    question: QuestionText,
    options: Type.Optional(OptionTexts),
    ...MultiNewFields,
    ...RatingNewFields,
    ...WordcloudNewFields,
    ...QuizNewFields,
  },
  { additionalProperties: false },
);

export const CreatedQuickPollSchema = Type.Object({
  code: Type.String(),
  manageToken: Type.String({
    description: 'shown once: send it as X-Manage-Token to close, reopen or delete the poll',
  }),
  urls: Type.Object({ ...PollUrlsSchema.properties, manage: Type.String() }),
  question: QuestionSchema,
});

export const ManageTokenHeaders = Type.Object({ 'x-manage-token': Type.String({ minLength: 1, maxLength: 128 }) });

export const ManagedPollSchema = Type.Object({ code: Type.String(), title: Type.String(), question: QuestionSchema });

/** The longest nickname, in characters. */
export const MAX_NICKNAME_CHARS = 24;

export const NicknameBody = Type.Object(
  {
    nickname: Type.String({
      maxLength: 200,
      description: `the voter's name on the poll's leaderboard: 1 to ${MAX_NICKNAME_CHARS} characters, unique in the poll regardless of case`,
    }),
  },
  { additionalProperties: false },
);

export const NicknameSchema = Type.Object({ nickname: Type.String() });

const LeaderboardEntry = Type.Object({
  rank: Type.Integer({ description: 'from 1; voters with as many points share a rank' }),
  nickname: Type.Union([Type.String(), Type.Null()], { description: 'null: the voter picked none' }),
  points: Type.Integer(),
  rightAnswers: Type.Integer(),
});

export const LeaderboardSchema = Type.Object({
  shown: Type.Boolean({ description: 'the screens show the leaderboard in place of the current question' }),
  players: Type.Integer({ description: 'how many voters answered a revealed quiz question' }),
  top: Type.Array(LeaderboardEntry, { description: 'the first 10, most points first' }),
});

export const LeaderboardBody = Type.Object(
  { shown: Type.Boolean({ description: 'true: the screens show the leaderboard; false: the question again' }) },
  { additionalProperties: false },
);

export const StandingSchema = Type.Object({
  nickname: Type.Union([Type.String(), Type.Null()]),
  points: Type.Integer(),
  rank: Type.Union([Type.Integer(), Type.Null()], {
    description: 'null until the voter answers a revealed quiz question',
  }),
  players: Type.Integer(),
});

export const QaSettingsBody = Type.Partial(QaSettingsSchema, { additionalProperties: false, minProperties: 1 });

export const QaItemSchema = Type.Object({
  id: Type.Integer(),
  text: Type.String(),
  name: Type.Union([Type.String(), Type.Null()], { description: 'null: asked anonymously' }),
  upvotes: Type.Integer(),
  answered: Type.Boolean(),
  highlighted: Type.Boolean({ description: 'the presenter view shows it now' }),
  createdAt: Type.String(),
  status: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('dismissed')], {
      description: 'to its asker and the organizer: waiting for approval, shown, or dismissed',
    }),
  ),
});

export const QaUpvoteSchema = Type.Object({
  ...QaItemSchema.properties,
  upvoted: Type.Boolean({ description: 'this voter upvotes it now' }),
});

export const AskBody = Type.Object(
  {
    text: Type.String({ maxLength: 2000, description: 'the question, at most 280 characters' }),
    name: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'the asker’s name (at most 40 characters), where the poll takes names',
      }),
    ),
  },
  { additionalProperties: false },
);

export const QaSortQuery = Type.Object({
  sort: Type.Optional(
    Type.Union([Type.Literal('votes'), Type.Literal('newest')], {
      description: 'most upvoted first (the default), or newest first',
    }),
  ),
});

export const AudienceQaSchema = Type.Object({
  settings: QaSettingsSchema,
  items: Type.Array(QaItemSchema, { description: 'the shown questions, the latest 200, in the order asked for' }),
  upvoted: Type.Array(Type.Integer(), { description: 'those this voter upvotes' }),
  highlighted: Type.Union([QaItemSchema, Type.Null()]),
});

export const ManagedQaSchema = Type.Object({
  settings: QaSettingsSchema,
  pending: Type.Array(QaItemSchema, { description: 'waiting for approval, oldest first' }),
  approved: Type.Array(QaItemSchema),
  dismissed: Type.Array(QaItemSchema),
});

export const QA_ACTIONS = ['approve', 'dismiss', 'answered', 'unanswered', 'highlight', 'unhighlight'] as const;

export const QaItemParams = Type.Object({
  code: CodeParams.properties.code,
  id: Type.Integer({ minimum: 1, maximum: MAX_ROW_ID }),
});

export const QaActionParams = Type.Object({
  ...QaItemParams.properties,
  action: Type.Union(QA_ACTIONS.map((name) => Type.Literal(name))),
});
