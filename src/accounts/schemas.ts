import Type from 'typebox';

// The JSON shapes of the accounts API; the same schemas validate requests and serialize answers.

export const Credentials = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('organizer')]),
});
export const SessionResponse = Type.Object({ token: Type.String(), user: UserSchema });
export const AccountSchema = Type.Object({
  ...UserSchema.properties,
  disabled: Type.Boolean({ description: 'A disabled account cannot sign in; its polls keep running for voters' }),
  pollCount: Type.Integer({ description: 'The polls the account owns' }),
  createdAt: Type.String(),
});
export const AccountEnvelope = Type.Object({ user: AccountSchema });
export const UserIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const AccountChange = Type.Object(
  { disabled: Type.Boolean({ description: 'true ends every session and token of the account at once' }) },
  { additionalProperties: false },
);
export const PasswordResetBody = Type.Object(
  {
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'the new password' })),
    generate: Type.Optional(Type.Literal(true, { description: 'generate one instead; it is answered once' })),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 },
);
export const PasswordResetResponse = Type.Object({
  user: AccountSchema,
  generatedPassword: Type.Optional(Type.String()),
});
export const PasswordChangeBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
