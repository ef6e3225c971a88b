"use server";

import { revalidatePath } from "next/cache";
import { changeRole, createUser, resetPassword, setActive } from "@/lib/auth/admin-actions";
import { dashboardAction } from "@/lib/dashboard/action";

// Each is the Admin action as lib/auth/admin-actions.ts defines it (admins only, audited), then the list drawn again.

export const createUserAction = dashboardAction(createUser.options, async (call) => {
  const done = await createUser.verb(call);
  revalidatePath("/admin/users");
  return done;
});

export const changeRoleAction = dashboardAction(changeRole.options, async (call) => {
  const done = await changeRole.verb(call);
  revalidatePath("/admin/users");
  return done;
});

export const setActiveAction = dashboardAction(setActive.options, async (call) => {
  const done = await setActive.verb(call);
  revalidatePath("/admin/users");
  return done;
});

export const resetPasswordAction = dashboardAction(resetPassword.options, async (call) => {
  const done = await resetPassword.verb(call);
  revalidatePath("/admin/users");
  return done;
});
