import "server-only";
import { z } from "zod";
import { LINE_QUANTITY_LIMIT_MESSAGE, MAX_LINE_QUANTITY } from "@/lib/cart-limits";
import { MIN_PASSWORD_LENGTH } from "@/lib/password-rules";

/** Input shapes of the JSON API, shared by route handlers and server actions. */
export const loginInput = z.strictObject({
  username: z.string().trim().min(1, "is required").max(150, "is too long"),
  // Bounded: PBKDF2 over a megabyte-long password would be a cheap denial of service.
  password: z.string().min(1, "is required").max(4096, "is too long"),
});

export const cartItemInput = z.strictObject({
  productId: z.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive").max(2_147_483_647, "is too large"),
  quantity: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(MAX_LINE_QUANTITY, LINE_QUANTITY_LIMIT_MESSAGE).default(1),
});

export const productIdParam = z.string().regex(/^\d{1,10}$/, "must be a product id").transform(Number);

export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, "is required").max(4096, "is too long"),
  newPassword: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(4096, "is too long")
    .refine((value) => !/^\d+$/.test(value), "cannot be only digits"),
});

export const flashAckInput = z.strictObject({
  ids: z.array(z.string().max(32)).max(20),
});
