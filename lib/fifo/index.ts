export * from "./types";
export * from "./book";
export * from "./allocate";
export * from "./lot-methods";
export * from "./month-ends";
export * from "./severity";
export { Decimal, type Dec, FEE_SHARE_DP, parseDecimal, formatDecimal, proRataShare } from "./decimal";
export { FILLED_STATUS, NON_FILLED_STATUSES, checkTrade, type TradeCheck } from "./trade-validation";
export { type OrderKey, orderKeyOf, compareOrderKeys } from "./order-key";
