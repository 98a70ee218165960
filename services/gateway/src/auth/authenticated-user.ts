/** The signed-in user of a request, from a verified Supabase Auth access token. */
export interface AuthenticatedUser {
  /** Supabase Auth user id (`sub`) — also the `users.id` persistence keys everything by. */
  userId: string;
  email: string;
}
