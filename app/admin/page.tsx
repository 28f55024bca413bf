import type { Metadata } from "next";
import { endUserSessions } from "./actions";
import { SubmitButton } from "../_components/submit-button";
import { withDatabase } from "../_components/with-database";
import { DateTime } from "../_components/date-time";
import { requireAdmin } from "@/lib/sessions/data-access.server";
import { listUsers } from "@/lib/users/store.server";
import { ADMIN_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Administration" };

export default withDatabase(ADMIN_PATH, async function AdminPage() {
  await requireAdmin(ADMIN_PATH);
  const users = await listUsers();
  return (
    <section className="card wide">
      <h1>Users</h1>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Active sessions</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} data-testid="user-row">
                <td>{user.email}</td>
                <td>{user.role}</td>
                <td>
                  <DateTime date={user.createdAt} />
                </td>
                <td>{user.activeSessions}</td>
                <td>
                  {user.activeSessions > 0 ? (
                    <form action={endUserSessions.bind(null, user.id)}>
                      <SubmitButton variant="quiet">End sessions</SubmitButton>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
});
