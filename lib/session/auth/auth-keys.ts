/** The keys django.contrib.auth keeps in a session (docs/django-format.md §9), shared by login and the save path. */
// The logged-in user, as Django keeps it in the session (written in this order).
/** The user's primary key, as a string. */
export const AUTH_USER_ID_KEY = "_auth_user_id";
/** The dotted path of the backend that authenticated the user. */
export const AUTH_BACKEND_KEY = "_auth_user_backend";
/** The session auth hash: an HMAC of the stored password hash (see sessionAuthHash). */
export const AUTH_HASH_KEY = "_auth_user_hash";
/** Django's default backend path, so a Django site sharing the sessions accepts them. */
export const MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend";
