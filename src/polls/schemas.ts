import Type from 'typebox';

// The JSON shapes of the polls API; the same schemas validate requests and serialize answers.

/** The body of a state change that needs none: nothing, or `{}`; a field it does not know is refused. */
export const NoBody = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })], {
  description: 'No body is needed; `{}` is accepted, any field refused',
});

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) });
export const QuestionIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const OptionSchema = Type.Object({
  id: Type.Integer(),
  text: Type.String(),
  votes: Type.Integer(),
  percent: Type.Number(),
});

export const QuestionSchema = Type.Object({
  id: Type.Integer(),
  pollCode: Type.String(),
  text: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('live'), Type.Literal('closed')]),
  options: Type.Array(OptionSchema),
  totalVotes: Type.Integer(),
  version: Type.Integer(),
  createdAt: Type.String(),
});

const NullableQuestion = Type.Union([QuestionSchema, Type.Null()]);

export const VoteRulesSchema = Type.Object({
  oneVotePerAddress: Type.Boolean({ description: 'At most one vote per question from each network address' }),
  votesChangeable: Type.Boolean({ description: 'Voters may change their vote until the question closes' }),
});

export const VoteRulesBody = Type.Partial(VoteRulesSchema, { additionalProperties: false, minProperties: 1 });

export const PollRulesSchema = Type.Object({ code: Type.String(), title: Type.String(), rules: VoteRulesSchema });

export const PollSchema = Type.Object({
  code: Type.String(),
  title: Type.String(),
  rules: VoteRulesSchema,
  liveQuestion: Type.Union([QuestionSchema, Type.Null()], { description: 'the question open for votes, if any' }),
  currentQuestion: Type.Union([QuestionSchema, Type.Null()], {
    description:
      'the question the screens show: the one most recently made live, with status `closed` and its final results once voting ended, until another goes live',
  }),
});

export const ResultsSchema = Type.Object({ question: NullableQuestion });
export const QuestionEnvelope = Type.Object({ question: QuestionSchema });
export const QuestionListSchema = Type.Object({ questions: Type.Array(QuestionSchema) });

export const MoveQuestionBody = Type.Object(
  { direction: Type.Union([Type.Literal('up'), Type.Literal('down')], { description: 'one place up or down' }) },
  { additionalProperties: false },
);

export const VoteBody = Type.Object(
  {
    questionId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    optionId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  },
  { additionalProperties: false },
);

const QuestionText = Type.String({ minLength: 1, maxLength: 2000 });
const OptionTexts = Type.Array(Type.String({ maxLength: 1000 }), { minItems: 2, maxItems: 20 });

export const NewQuestionBody = Type.Object(
  { text: QuestionText, options: OptionTexts, activate: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const EditQuestionBody = Type.Object(
  { text: Type.Optional(QuestionText), options: Type.Optional(OptionTexts) },
  { additionalProperties: false, minProperties: 1 },
);

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
  { question: QuestionText, options: OptionTexts },
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
