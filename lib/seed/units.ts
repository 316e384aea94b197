// Internal fixed-point scales of the generator (value = units / 10^scale).

/** Prices: 12 decimals internally, rounded to each symbol's tick on output. */
export const PRICE_SCALE = 12;
/** Sizes: 8 decimals (the most a stored size has). */
export const SIZE_SCALE = 8;
/** Notional = size * price. */
export const NOTIONAL_SCALE = PRICE_SCALE + SIZE_SCALE;
