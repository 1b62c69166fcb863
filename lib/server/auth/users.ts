import "server-only";
import { isRole, type Role } from "@/lib/roles";
import { getPrisma } from "../db/client.ts";

export type { Role } from "@/lib/roles";

export interface UserRecord {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  /** The stored Django password hash. */
  readonly password: string;
  readonly isActive: boolean;
  readonly role: Role | null;
}

const include = { role: true } as const;

type Row = { id: number; username: string; firstName: string; password: string; isActive: boolean; role: { role: string } | null };

function toRecord(row: Row): UserRecord {
  const role = row.role?.role;
  return {
    id: row.id,
    username: row.username,
    firstName: row.firstName,
    password: row.password,
    isActive: row.isActive,
    role: isRole(role) ? role : null,
  };
}

export async function findUserByUsername(username: string): Promise<UserRecord | null> {
  const row = await getPrisma().authUser.findUnique({ where: { username }, include });
  return row ? toRecord(row) : null;
}

export async function findUserById(id: string | number): Promise<UserRecord | null> {
  const numeric = typeof id === "number" ? id : /^\d{1,10}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(numeric)) return null;
  const row = await getPrisma().authUser.findUnique({ where: { id: numeric }, include });
  return row ? toRecord(row) : null;
}

export async function setUserPassword(id: number, passwordHash: string): Promise<UserRecord> {
  return toRecord(await getPrisma().authUser.update({ where: { id }, data: { password: passwordHash }, include }));
}

export async function touchLastLogin(id: number, at: Date): Promise<void> {
  await getPrisma().authUser.update({ where: { id }, data: { lastLogin: at } });
}
