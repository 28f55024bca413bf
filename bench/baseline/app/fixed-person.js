// Who the baseline's /account shows: fixed data, as the benchmark's public twin of /account has it.
export const FIXED_PERSON = {
  email: "bench-0000000000000-aaaaaa@example.com",
  createdAt: new Date("2026-11-25T04:00:00.000Z"),
  role: "user",
  emailVerifiedAt: null,
};
