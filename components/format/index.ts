export { Money } from "./money";
export { Size, Price } from "./size";
export { DateTime } from "./date-time";
export { TradeLink } from "./trade-link";
