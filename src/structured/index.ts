export { AnswerSchemaError, compileAnswerSchema, type AnswerCheck, type JsonSchema } from './answerSchema';
