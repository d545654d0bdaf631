export { startEmulator, type Emulator, type RequestLogEntry } from './server';
export type { EmulatorOptions, EmulatorPace } from './options';
export { FaultSchema, type Fault, type FaultInput, type InjectedFault } from './faults';
export type { SeedBatchesOptions } from './batchStore';
export { AnswerFaultSchema, parseAnswerFault, type AnswerFault, type AnswerFaultInput, type AnswerFaultKind } from './answerFaults';
