import { redirect } from "next/navigation";

/** The overview arrives with the live dashboard; until then /admin opens on the sessions list. */
export default function AdminHome() {
  redirect("/admin/sessions");
}
