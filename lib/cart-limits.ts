/**
 * The cart's limits, in one place for both sides: the API's input schema and
 * the cart module on the server, the quantity inputs in the browser.
 */
export const MAX_LINE_QUANTITY = 99;
export const MAX_CART_LINES = 50;

export const LINE_QUANTITY_LIMIT_MESSAGE = `At most ${MAX_LINE_QUANTITY} of one product fit in the cart.`;
export const CART_LINES_LIMIT_MESSAGE = `The cart holds at most ${MAX_CART_LINES} different products.`;
