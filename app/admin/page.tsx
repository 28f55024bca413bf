import type { Metadata } from "next";
import { endUserSessions } from "./actions";
import { SubmitButton } from "../_components/submit-button";
import { withDatabase } from "../_components/with-database";
import { DateTime } from "../_components/date-time";
import { requireAdmin } from "@/lib/sessions/data-access.server";
import { listUsers } from "@/lib/users/store.server";
import { recentEventsByUser } from "@/lib/activity/list.server";
import { describeEvent } from "@/lib/activity/messages";
import { describeAddress } from "@/lib/http/client-info";
import { ADMIN_PATH } from "@/lib/routes";

export const metadata: Metadata = { title: "Administration" };

export default withDatabase(ADMIN_PATH, async function AdminPage() {
  await requireAdmin(ADMIN_PATH);
  const users = await listUsers();
  // What an admin needs to answer "was I hacked?": each user's latest events (no event holds a secret).
  const recent = await recentEventsByUser();
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
              <th scope="col">Recent activity</th>
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
                  <ul className="event-mini" data-testid="user-activity">
                    {(recent.get(user.id) ?? []).map((event) => {
                      const address = describeAddress(event.ipPrefix);
                      return (
                        <li key={event.id}>
                          {describeEvent(event)}
                          {address ? ` from ${address}` : ""}, <DateTime date={event.at} />
                        </li>
                      );
                    })}
                  </ul>
                </td>
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
