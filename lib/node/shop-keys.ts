/** Where the shop keeps its state in the session: shared by the shop (lib/server/shop) and the CLI's seed. */
export const CART_KEY = "cart";
export const FLASH_KEY = "_flash";
