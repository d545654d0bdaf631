export { AnswerSchemaError, compileAnswerSchema, type AnswerCheck, type JsonSchema } from './answerSchema';
export { answerRowCheck, INVALID_ANSWER } from './rowCheck';
