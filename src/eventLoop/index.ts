export { SLICE_BUDGET_MS, SliceClock } from './sliceClock';
