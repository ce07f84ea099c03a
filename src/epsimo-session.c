/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "api/epsimo-api-error.h"
#include "api/epsimo-jwt.h"
#include "account/epsimo-account-store.h"

#include "epsimo-session.h"

/* An answer asked for while resuming, before the window asks for it: the projects, the
 * reopened project's threads and the reopened thread's first page of history (asked once
 * that project's token is known). It goes to the first request for it only. That first
 * request, or one for something else, ends it: any later request wants what the server
 * has then. */
typedef struct
{
  char           *key;          /* what it is for; NULL once a request came */
  gboolean        in_flight;
  gpointer        result;       /* the answer, when it came before the request */
  GDestroyNotify  free_result;
  GTask          *waiter;       /* the request, when it came before the answer */
} Prefetch;

static void
prefetch_clear (Prefetch *prefetch)
{
  g_clear_pointer (&prefetch->key, g_free);
  if (prefetch->result != NULL)
    prefetch->free_result (g_steal_pointer (&prefetch->result));
  g_clear_object (&prefetch->waiter);
}

/* A page of history, as get_messages hands it over. */
typedef struct
{
  GPtrArray *messages;
  gboolean   has_more;
  guint      n_older;
} HistoryPage;

static void
history_page_free (HistoryPage *page)
{
  g_clear_pointer (&page->messages, g_ptr_array_unref);
  g_free (page);
}

/* What epsimo_session_get_messages_async() was asked. */
typedef struct
{
  char  *project_id;
  char  *thread_id;
  guint  limit;
  char  *before;
} HistoryRequest;

static void
history_request_free (HistoryRequest *request)
{
  g_free (request->project_id);
  g_free (request->thread_id);
  g_free (request->before);
  g_free (request);
}

struct _EpsimoSession
{
  GObject                  parent_instance;

  char                    *server;
  char                    *email;
  gboolean                 remember;
  EpsimoBalance           *balance;

  EpsimoClient            *client;
  EpsimoAuthService       *auth;
  EpsimoProjectsService   *projects;
  EpsimoAssistantsService *assistants;
  EpsimoThreadsService    *threads;
  EpsimoRunsService       *runs;
  EpsimoFilesService      *files;
  EpsimoDatabaseService   *database;
  EpsimoCreditsService    *credits;

  GCancellable            *cancellable;

  /* What the window asks first, asked while resuming (see Prefetch). */
  Prefetch                 projects_prefetch;
  Prefetch                 threads_prefetch;
  Prefetch                 history_prefetch;    /* a HistoryPage */
  char                    *resume_project;
  char                    *resume_thread;
  /* The project token last put in the keyring (project and expiry), not to store it twice. */
  char                    *saved_project;
  gint64                   saved_project_expiry;

  /* Keyring writes are never cancelled half-way (libsecret 0.20 can complete a cancelled
   * clear twice); signing out waits for them instead, so no token lands after the forget. */
  guint                    token_saves;
  GTask                   *sign_out_task;
};

G_DEFINE_FINAL_TYPE (EpsimoSession, epsimo_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_EMAIL,
  PROP_BALANCE,
  N_PROPS
};

enum {
  EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wipe_and_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
set_email (EpsimoSession *self,
           const char    *email)
{
  if (g_strcmp0 (self->email, email) == 0)
    return;
  g_free (self->email);
  self->email = g_strdup (email);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

/* ---- keeping the keyring in step --------------------------------------------------------- */

static void forget_for_sign_out (EpsimoSession *self);

/* A keyring write is over: a sign-out waiting for it may forget now. */
static void
token_save_done (EpsimoSession *self)
{
  self->token_saves--;
  if (self->token_saves == 0 && self->sign_out_task != NULL)
    forget_for_sign_out (self);
}

static void
on_token_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EpsimoSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!epsimo_account_store_save_token_finish (result, &error))
    g_warning ("Could not keep the session in the keyring: %s", error->message);
  token_save_done (self);
}

static void
save_token (EpsimoSession *self)
{
  g_autofree char *token = NULL;

  if (!self->remember || self->email == NULL)
    return;

  token = epsimo_client_dup_user_token (self->client);
  if (token == NULL || self->sign_out_task != NULL)
    return;

  self->token_saves++;
  epsimo_account_store_save_token_async (self->server, self->email, token,
                                         epsimo_jwt_get_expiry (token),
                                         NULL, on_token_saved, g_object_ref (self));
  memset (token, 0, strlen (token));
}

static void
on_project_token_saved (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(EpsimoSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!epsimo_account_store_save_project_token_finish (result, &error))
    g_warning ("Could not keep the project's access in the keyring: %s", error->message);
  token_save_done (self);
}

/* The project token that is in the keyring now (read from it, or just put there). */
static void
note_saved_project_token (EpsimoSession *self,
                          const char    *project_id,
                          gint64         expiry)
{
  g_free (self->saved_project);
  self->saved_project = g_strdup (project_id);
  self->saved_project_expiry = expiry;
}

/* The token of the project whose threads were just listed, which a start may reopen: kept
 * so that start lists its threads at once, without asking for the token first (one round
 * trip less before the first frame that shows them). */
static void
save_project_token (EpsimoSession *self,
                    const char    *project_id)
{
  g_autofree char *token = NULL;
  gint64 expiry;

  if (!self->remember || self->email == NULL || self->sign_out_task != NULL)
    return;

  token = epsimo_client_dup_project_token (self->client, project_id);
  if (token == NULL)
    return;
  expiry = epsimo_jwt_get_expiry (token);
  if (g_strcmp0 (self->saved_project, project_id) != 0 || self->saved_project_expiry != expiry)
    {
      note_saved_project_token (self, project_id, expiry);
      self->token_saves++;
      epsimo_account_store_save_project_token_async (self->server, self->email, project_id,
                                                     token, expiry, NULL,
                                                     on_project_token_saved,
                                                     g_object_ref (self));
    }
  memset (token, 0, strlen (token));
}

static void
on_token_renewed (EpsimoClient  *client,
                  EpsimoSession *self)
{
  save_token (self);
}

static void
on_session_expired (EpsimoClient  *client,
                    EpsimoSession *self)
{
  g_signal_emit (self, signals[EXPIRED], 0);
}

/* The client asks for credentials when its token ran out: they come from the keyring, and
 * only when the user chose to stay signed in. */
static void
on_credentials_found (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  /* The provider owns the task the client gave it (see EpsimoCredentialsProvider). */
  g_autoptr(GTask) task = user_data;
  const char *email = g_object_get_data (G_OBJECT (task), "epsimo-email");
  GError *error = NULL;
  char *password = epsimo_account_store_lookup_password_finish (result, &error);

  if (password != NULL)
    epsimo_credentials_task_return (task, email, password);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED,
                             _("Your session has ended. Please sign in again."));
  wipe_and_free (password);
}

static void
provide_credentials (EpsimoClient *client,
                     GCancellable *cancellable,
                     GTask        *task,
                     gpointer      user_data)
{
  EpsimoSession *self = user_data;

  if (!self->remember || self->email == NULL)
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED,
                               _("Your session has ended. Please sign in again."));
      g_object_unref (task);
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "epsimo-email", g_strdup (self->email), g_free);
  epsimo_account_store_lookup_password_async (self->server, self->email, cancellable,
                                              on_credentials_found, task);
}

/* ---- signing in ----------------------------------------------------------------------- */

typedef struct
{
  char *email;
  char *password;
  gboolean remember;
  gboolean needs_verification;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_free (data->email);
  wipe_and_free (data->password);
  g_free (data);
}

static void
on_keyring_settled (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The account is signed in either way; a keyring that refuses is only worth a warning. */
  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not update the keyring: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
on_password_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) inner = user_data;
  EpsimoSession *self = g_task_get_source_object (inner);
  GError *error = NULL;

  if (!epsimo_account_store_save_password_finish (result, &error))
    g_task_return_error (inner, error);
  else
    {
      save_token (self);
      g_task_return_boolean (inner, TRUE);
    }
}

static void
on_forgotten (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) inner = user_data;
  GError *error = NULL;

  if (!epsimo_account_store_forget_finish (result, &error))
    g_task_return_error (inner, error);
  else
    g_task_return_boolean (inner, TRUE);
}

/* Stores the credentials, or forgets old ones, then completes @task. */
static void
settle_keyring (EpsimoSession *self,
                GTask         *task)
{
  SignInData *data = g_task_get_task_data (task);
  GTask *inner = g_task_new (self, NULL, on_keyring_settled, task);

  set_email (self, data->email);
  self->remember = data->remember;

  /* Keyring writes run to their end, cancelled or not (see token_saves). */
  if (data->remember)
    epsimo_account_store_save_password_async (self->server, data->email, data->password,
                                              NULL, on_password_saved, inner);
  else
    epsimo_account_store_forget_async (self->server, data->email, NULL, on_forgotten, inner);
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!epsimo_auth_service_sign_in_finish (EPSIMO_AUTH_SERVICE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  epsimo_session_refresh_balance (self);
  settle_keyring (self, g_steal_pointer (&task));
}

void
epsimo_session_sign_in_async (EpsimoSession       *self,
                              const char          *email,
                              const char          *password,
                              gboolean             remember,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignInData *data;

  g_return_if_fail (EPSIMO_IS_SESSION (self));
  g_return_if_fail (email != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_session_sign_in_async);
  data = g_new0 (SignInData, 1);
  data->email = g_strdup (email);
  data->password = g_strdup (password);
  data->remember = remember;
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  epsimo_auth_service_sign_in_async (self->auth, email, password, cancellable,
                                     on_signed_in, task);
}

gboolean
epsimo_session_sign_in_finish (EpsimoSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_signed_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!epsimo_auth_service_sign_up_finish (EPSIMO_AUTH_SERVICE (source), result,
                                           &data->needs_verification, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->needs_verification)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Some servers answer a signup without a token: sign in as usual then. */
  if (!epsimo_client_get_signed_in (self->client))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      epsimo_auth_service_sign_in_async (self->auth, data->email, data->password, cancellable,
                                         on_signed_in, g_steal_pointer (&task));
      return;
    }

  epsimo_session_refresh_balance (self);
  settle_keyring (self, g_steal_pointer (&task));
}

void
epsimo_session_sign_up_async (EpsimoSession       *self,
                              const char          *email,
                              const char          *password,
                              gboolean             remember,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignInData *data;

  g_return_if_fail (EPSIMO_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_session_sign_up_async);
  data = g_new0 (SignInData, 1);
  data->email = g_strdup (email);
  data->password = g_strdup (password);
  data->remember = remember;
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  epsimo_auth_service_sign_up_async (self->auth, email, password, NULL, cancellable,
                                     on_signed_up, task);
}

gboolean
epsimo_session_sign_up_finish (EpsimoSession  *self,
                               GAsyncResult   *result,
                               gboolean       *needs_verification,
                               GError        **error)
{
  SignInData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (needs_verification != NULL)
    *needs_verification = data->needs_verification;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- what the window asks first, asked while resuming ------------------------------------- */

typedef void (*AskNow) (EpsimoSession *self,
                        GTask         *task);

static void
return_list (GTask     *task,
             GPtrArray *list,
             GError    *error)
{
  if (list != NULL)
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

/* Serves @task from @prefetch when it is the first request and asks for the same thing
 * (@key; NULL for something no prefetch is for): with the answer, or once it comes.
 * Returns FALSE when the request must ask the server. */
static gboolean
prefetch_take (Prefetch   *prefetch,
               const char *key,
               GTask      *task)
{
  gboolean wanted = prefetch->key != NULL && g_strcmp0 (key, prefetch->key) == 0;

  g_clear_pointer (&prefetch->key, g_free);
  if (wanted && prefetch->result != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&prefetch->result), prefetch->free_result);
      g_object_unref (task);
      return TRUE;
    }
  if (prefetch->result != NULL)
    prefetch->free_result (g_steal_pointer (&prefetch->result));
  if (wanted && prefetch->in_flight)
    {
      prefetch->waiter = task;
      return TRUE;
    }
  return FALSE;
}

/* The prefetched answer (@answer, or NULL when it failed) came. */
static void
prefetch_done (EpsimoSession *self,
               Prefetch      *prefetch,
               gpointer       answer,
               AskNow         ask_now)
{
  g_autoptr(GTask) waiter = g_steal_pointer (&prefetch->waiter);

  prefetch->in_flight = FALSE;
  if (waiter == NULL)
    {
      /* Kept for the first request, unless one came already. */
      if (prefetch->key != NULL)
        prefetch->result = g_steal_pointer (&answer);
    }
  else if (g_task_return_error_if_cancelled (waiter))
    ;
  else if (answer != NULL)
    g_task_return_pointer (waiter, g_steal_pointer (&answer), prefetch->free_result);
  else
    /* Asked before the token was known to be good: the request's own answer says why. */
    ask_now (self, g_steal_pointer (&waiter));

  if (answer != NULL)
    prefetch->free_result (answer);
}

static void
on_projects_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *projects;

  projects = epsimo_projects_service_list_finish (EPSIMO_PROJECTS_SERVICE (source), result,
                                                  &error);
  return_list (task, projects, error);
}

static void
list_projects_now (EpsimoSession *self,
                   GTask         *task)
{
  epsimo_projects_service_list_async (self->projects, g_task_get_cancellable (task),
                                      on_projects_listed, task);
}

static void
on_projects_prefetched (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(EpsimoSession) self = user_data;
  GPtrArray *projects;

  projects = epsimo_projects_service_list_finish (EPSIMO_PROJECTS_SERVICE (source), result,
                                                  NULL);
  prefetch_done (self, &self->projects_prefetch, projects, list_projects_now);
}

static void
on_threads_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *threads;

  threads = epsimo_threads_service_list_finish (EPSIMO_THREADS_SERVICE (source), result,
                                                &error);
  if (threads != NULL)
    save_project_token (g_task_get_source_object (task), g_task_get_task_data (task));
  return_list (task, threads, error);
}

static void
list_threads_now (EpsimoSession *self,
                  GTask         *task)
{
  epsimo_threads_service_list_async (self->threads, g_task_get_task_data (task),
                                     g_task_get_cancellable (task), on_threads_listed, task);
}

static void
on_threads_prefetched (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EpsimoSession) self = user_data;
  GPtrArray *threads;

  threads = epsimo_threads_service_list_finish (EPSIMO_THREADS_SERVICE (source), result, NULL);
  prefetch_done (self, &self->threads_prefetch, threads, list_threads_now);
}

/* The page a get_messages call answered, or NULL with @error set. */
static HistoryPage *
history_page_finish (GObject       *source,
                     GAsyncResult  *result,
                     GError       **error)
{
  HistoryPage *page = g_new0 (HistoryPage, 1);

  page->messages = epsimo_threads_service_get_messages_finish_full (
    EPSIMO_THREADS_SERVICE (source), result, &page->has_more, &page->n_older, error);
  if (page->messages == NULL)
    g_clear_pointer (&page, history_page_free);
  return page;
}

static void
on_history_got (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  HistoryPage *page = history_page_finish (source, result, &error);

  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) history_page_free);
}

static void
get_messages_now (EpsimoSession *self,
                  GTask         *task)
{
  HistoryRequest *request = g_task_get_task_data (task);

  epsimo_threads_service_get_messages_async (self->threads, request->project_id,
                                             request->thread_id, request->limit,
                                             request->before, g_task_get_cancellable (task),
                                             on_history_got, task);
}

static void
on_history_prefetched (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EpsimoSession) self = user_data;

  prefetch_done (self, &self->history_prefetch, history_page_finish (source, result, NULL),
                 get_messages_now);
}

/* The reopened thread's first page is asked as soon as its project's token is known,
 * beside its threads: the history of a long live thread is one large state, which used to
 * be asked only once the thread list had come and the window had been built. */
static void
prefetch_history (EpsimoSession *self,
                  const char    *project_id)
{
  Prefetch *prefetch = &self->history_prefetch;

  if (self->resume_thread == NULL || prefetch->in_flight)
    return;

  prefetch_clear (prefetch);
  prefetch->key = g_steal_pointer (&self->resume_thread);
  prefetch->in_flight = TRUE;
  epsimo_threads_service_get_messages_async (self->threads, project_id, prefetch->key,
                                             EPSIMO_SESSION_FIRST_PAGE, NULL, self->cancellable,
                                             on_history_prefetched, g_object_ref (self));
}

static void
on_project_token_warmed (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(EpsimoSession) self = user_data;
  g_autoptr(EpsimoProject) project = NULL;
  Prefetch *threads = &self->threads_prefetch;

  /* The project token it left in the client's cache is what matters; a failure shows
   * where the project is opened. Its threads are asked now, unless the chat page asked
   * for threads first (it then has its own answer). */
  project = epsimo_projects_service_get_finish (EPSIMO_PROJECTS_SERVICE (source), result, NULL);
  if (project != NULL)
    save_project_token (self, epsimo_project_get_id (project));
  if (project != NULL && g_strcmp0 (threads->key, epsimo_project_get_id (project)) == 0
      && !threads->in_flight && !g_cancellable_is_cancelled (self->cancellable))
    {
      threads->in_flight = TRUE;
      epsimo_threads_service_list_async (self->threads, threads->key, self->cancellable,
                                         on_threads_prefetched, g_object_ref (self));
      prefetch_history (self, threads->key);
    }
  g_clear_pointer (&self->resume_thread, g_free);
}

/* The user token is known: what the window would ask in a chain (projects, then the
 * reopened project's token, then its threads) starts now, beside the token's check, and
 * before the window is up. The reopened project's threads first: the largest answer, read
 * in a worker while the smaller ones are used (a server answers in turn). */
static void
prefetch_reopened_project (EpsimoSession *self)
{
  if (self->resume_project != NULL && !self->threads_prefetch.in_flight)
    {
      g_autofree char *stored = epsimo_client_dup_project_token (self->client,
                                                                 self->resume_project);

      prefetch_clear (&self->threads_prefetch);
      self->threads_prefetch.key = g_strdup (self->resume_project);
      /* With the project's token from the keyring, its threads are asked at once; a token
       * the server no longer takes is fetched again by the client on its 401. */
      if (stored != NULL)
        {
          self->threads_prefetch.in_flight = TRUE;
          epsimo_threads_service_list_async (self->threads, self->resume_project,
                                             self->cancellable, on_threads_prefetched,
                                             g_object_ref (self));
          prefetch_history (self, self->resume_project);
          memset (stored, 0, strlen (stored));
        }
      else
        epsimo_projects_service_get_async (self->projects, self->resume_project,
                                           self->cancellable, on_project_token_warmed,
                                           g_object_ref (self));
    }
  g_clear_pointer (&self->resume_project, g_free);
}

static void
prefetch_projects (EpsimoSession *self)
{
  if (self->projects_prefetch.in_flight)
    return;
  prefetch_clear (&self->projects_prefetch);
  self->projects_prefetch.key = g_strdup ("projects");
  self->projects_prefetch.in_flight = TRUE;
  epsimo_projects_service_list_async (self->projects, self->cancellable,
                                      on_projects_prefetched, g_object_ref (self));
}

static void
prefetch (EpsimoSession *self)
{
  prefetch_reopened_project (self);
  prefetch_projects (self);
}

void
epsimo_session_list_projects_async (EpsimoSession       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EPSIMO_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_session_list_projects_async);
  if (!prefetch_take (&self->projects_prefetch, "projects", task))
    list_projects_now (self, task);
}

GPtrArray *
epsimo_session_list_projects_finish (EpsimoSession  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
epsimo_session_list_threads_async (EpsimoSession       *self,
                                   const char          *project_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EPSIMO_IS_SESSION (self));
  g_return_if_fail (project_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_session_list_threads_async);
  g_task_set_task_data (task, g_strdup (project_id), g_free);
  if (!prefetch_take (&self->threads_prefetch, project_id, task))
    list_threads_now (self, task);
}

GPtrArray *
epsimo_session_list_threads_finish (EpsimoSession  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
epsimo_session_get_messages_async (EpsimoSession       *self,
                                   const char          *project_id,
                                   const char          *thread_id,
                                   guint                limit,
                                   const char          *before,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  HistoryRequest *request;
  GTask *task;

  g_return_if_fail (EPSIMO_IS_SESSION (self));
  g_return_if_fail (project_id != NULL);
  g_return_if_fail (thread_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_session_get_messages_async);
  request = g_new0 (HistoryRequest, 1);
  request->project_id = g_strdup (project_id);
  request->thread_id = g_strdup (thread_id);
  request->limit = limit;
  request->before = g_strdup (before);
  g_task_set_task_data (task, request, (GDestroyNotify) history_request_free);
  /* Only the first page is asked ahead. */
  if (!prefetch_take (&self->history_prefetch,
                      before == NULL && limit == EPSIMO_SESSION_FIRST_PAGE ? thread_id : NULL,
                      task))
    get_messages_now (self, task);
}

GPtrArray *
epsimo_session_get_messages_finish (EpsimoSession  *self,
                                    GAsyncResult   *result,
                                    gboolean       *has_more,
                                    guint          *n_older,
                                    GError        **error)
{
  HistoryPage *page;
  GPtrArray *messages;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (has_more != NULL)
    *has_more = FALSE;
  if (n_older != NULL)
    *n_older = G_MAXUINT;
  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;

  if (has_more != NULL)
    *has_more = page->has_more;
  if (n_older != NULL)
    *n_older = page->n_older;
  messages = g_steal_pointer (&page->messages);
  history_page_free (page);
  return messages;
}

/* ---- resuming from the keyring ---------------------------------------------------------- */

static void
on_resume_signed_in (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!epsimo_auth_service_sign_in_finish (EPSIMO_AUTH_SERVICE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  save_token (self);
  prefetch (self);
  epsimo_session_refresh_balance (self);
  g_task_return_boolean (task, TRUE);
}

static void
on_resume_password (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *password = epsimo_account_store_lookup_password_finish (result, &error);
  GCancellable *cancellable;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (password == NULL)
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED,
                               _("Please sign in."));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  epsimo_auth_service_sign_in_async (self->auth, self->email, password, cancellable,
                                     on_resume_signed_in, g_steal_pointer (&task));
  wipe_and_free (password);
}

static void
resume_with_password (EpsimoSession *self,
                      GTask         *task)
{
  epsimo_account_store_lookup_password_async (self->server, self->email,
                                              g_task_get_cancellable (task),
                                              on_resume_password, task);
}

static void
on_resume_balance (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(EpsimoBalance) balance = NULL;

  balance = epsimo_credits_service_get_balance_finish (EPSIMO_CREDITS_SERVICE (source),
                                                       result, &error);
  if (balance == NULL)
    {
      /* The stored token was refused and could not be renewed: the stored password can
       * still be tried. Any other failure (the server is down) is what the user sees. */
      if (g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED))
        {
          resume_with_password (self, g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_set_object (&self->balance, balance))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALANCE]);
  g_task_return_boolean (task, TRUE);
}

static void
on_resume_token (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autofree char *project_token = NULL;
  char *token = epsimo_account_store_lookup_token_finish (result, &project_token, &error);
  GCancellable *cancellable;

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (token == NULL)
    {
      resume_with_password (self, g_steal_pointer (&task));
      return;
    }

  /* The stored token saves a sign-in; one call proves it still works. */
  epsimo_client_set_user_token (self->client, token);
  wipe_and_free (token);
  if (project_token != NULL && self->resume_project != NULL)
    {
      epsimo_client_set_project_token (self->client, self->resume_project, project_token);
      note_saved_project_token (self, self->resume_project,
                                epsimo_jwt_get_expiry (project_token));
      memset (project_token, 0, strlen (project_token));
    }
  /* In this order for a server answering in turn: the reopened project's threads (read
   * and parsed in a worker meanwhile), the token's check, the projects. */
  prefetch_reopened_project (self);
  cancellable = g_task_get_cancellable (task);
  epsimo_credits_service_get_balance_async (self->credits, cancellable,
                                            on_resume_balance, g_steal_pointer (&task));
  prefetch_projects (self);
}

void
epsimo_session_resume_async (EpsimoSession       *self,
                             const char          *email,
                             const char          *project_id,
                             const char          *thread_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EPSIMO_IS_SESSION (self));
  g_return_if_fail (email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_session_resume_async);
  set_email (self, email);
  self->remember = TRUE;
  g_free (self->resume_project);
  self->resume_project = project_id != NULL && *project_id != '\0' ? g_strdup (project_id) : NULL;
  g_free (self->resume_thread);
  self->resume_thread = (self->resume_project != NULL && thread_id != NULL && *thread_id != '\0'
                         ? g_strdup (thread_id) : NULL);

  epsimo_account_store_lookup_token_async (self->server, email, self->resume_project,
                                           cancellable, on_resume_token, task);
}

gboolean
epsimo_session_resume_finish (EpsimoSession  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (g_task_propagate_boolean (G_TASK (result), error))
    return TRUE;

  /* A session that did not resume is dropped: what it asked ahead (the prefetches, the
   * balance) must not go on, nor sign in again on a 401 and store a token for nobody. */
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

/* ---- balance ------------------------------------------------------------------------------ */

static void
on_balance (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EpsimoSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EpsimoBalance) balance = NULL;

  balance = epsimo_credits_service_get_balance_finish (EPSIMO_CREDITS_SERVICE (source),
                                                       result, &error);
  if (balance == NULL)
    {
      /* What was shown stays: the figure is refreshed often enough to catch up. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not refresh the balance: %s", error->message);
      return;
    }

  if (g_set_object (&self->balance, balance))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALANCE]);
}

void
epsimo_session_refresh_balance (EpsimoSession *self)
{
  g_return_if_fail (EPSIMO_IS_SESSION (self));

  epsimo_credits_service_get_balance_async (self->credits, self->cancellable, on_balance,
                                            g_object_ref (self));
}

/* ---- signing out -------------------------------------------------------------------------- */

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!epsimo_account_store_forget_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
forget_for_sign_out (EpsimoSession *self)
{
  GTask *task = g_steal_pointer (&self->sign_out_task);

  epsimo_account_store_forget_async (self->server, self->email, NULL, on_signed_out, task);
}

void
epsimo_session_sign_out_async (EpsimoSession       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EPSIMO_IS_SESSION (self));
  g_return_if_fail (self->sign_out_task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_session_sign_out_async);

  /* Whatever is in flight for this account stops now. */
  g_cancellable_cancel (self->cancellable);
  epsimo_auth_service_sign_out (self->auth);

  if (self->email == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  self->sign_out_task = task;
  if (self->token_saves == 0)
    forget_for_sign_out (self);
}

gboolean
epsimo_session_sign_out_finish (EpsimoSession  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- object --------------------------------------------------------------------------------- */

EpsimoSession *
epsimo_session_new (const char  *server,
                    GError     **error)
{
  g_autoptr(EpsimoClient) client = NULL;
  EpsimoSession *self;

  client = epsimo_client_new (server, error);
  if (client == NULL)
    return NULL;

  self = g_object_new (EPSIMO_TYPE_SESSION, NULL);
  self->client = g_steal_pointer (&client);
  self->server = g_strdup (epsimo_client_get_base_url (self->client));
  self->auth = epsimo_auth_service_new (self->client);
  self->projects = epsimo_projects_service_new (self->client);
  self->assistants = epsimo_assistants_service_new (self->client);
  self->threads = epsimo_threads_service_new (self->client);
  self->runs = epsimo_runs_service_new (self->client);
  self->files = epsimo_files_service_new (self->client);
  self->database = epsimo_database_service_new (self->client);
  self->credits = epsimo_credits_service_new (self->client);

  epsimo_client_set_credentials_provider (self->client, provide_credentials, self, NULL);
  g_signal_connect_object (self->client, "token-renewed",
                           G_CALLBACK (on_token_renewed), self, 0);
  g_signal_connect_object (self->client, "session-expired",
                           G_CALLBACK (on_session_expired), self, 0);
  return self;
}

const char *
epsimo_session_get_server (EpsimoSession *self)
{
  g_return_val_if_fail (EPSIMO_IS_SESSION (self), NULL);
  return self->server;
}

const char *
epsimo_session_get_email (EpsimoSession *self)
{
  g_return_val_if_fail (EPSIMO_IS_SESSION (self), NULL);
  return self->email;
}

gboolean
epsimo_session_get_remember (EpsimoSession *self)
{
  g_return_val_if_fail (EPSIMO_IS_SESSION (self), FALSE);
  return self->remember;
}

EpsimoBalance *
epsimo_session_get_balance (EpsimoSession *self)
{
  g_return_val_if_fail (EPSIMO_IS_SESSION (self), NULL);
  return self->balance;
}

#define SERVICE_GETTER(Type, name) \
  Type * \
  epsimo_session_get_##name (EpsimoSession *self) \
  { \
    g_return_val_if_fail (EPSIMO_IS_SESSION (self), NULL); \
    return self->name; \
  }

SERVICE_GETTER (EpsimoClient, client)
SERVICE_GETTER (EpsimoAuthService, auth)
SERVICE_GETTER (EpsimoProjectsService, projects)
SERVICE_GETTER (EpsimoAssistantsService, assistants)
SERVICE_GETTER (EpsimoThreadsService, threads)
SERVICE_GETTER (EpsimoRunsService, runs)
SERVICE_GETTER (EpsimoFilesService, files)
SERVICE_GETTER (EpsimoDatabaseService, database)
SERVICE_GETTER (EpsimoCreditsService, credits)

static void
epsimo_session_dispose (GObject *object)
{
  EpsimoSession *self = EPSIMO_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    epsimo_client_set_credentials_provider (self->client, NULL, NULL, NULL);
  g_clear_object (&self->auth);
  g_clear_object (&self->projects);
  g_clear_object (&self->assistants);
  g_clear_object (&self->threads);
  g_clear_object (&self->runs);
  g_clear_object (&self->files);
  g_clear_object (&self->database);
  g_clear_object (&self->credits);
  g_clear_object (&self->client);
  g_clear_object (&self->balance);
  prefetch_clear (&self->projects_prefetch);
  prefetch_clear (&self->threads_prefetch);
  prefetch_clear (&self->history_prefetch);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (epsimo_session_parent_class)->dispose (object);
}

static void
epsimo_session_finalize (GObject *object)
{
  EpsimoSession *self = EPSIMO_SESSION (object);

  g_free (self->server);
  g_free (self->email);
  g_free (self->resume_project);
  g_free (self->resume_thread);
  g_free (self->saved_project);

  G_OBJECT_CLASS (epsimo_session_parent_class)->finalize (object);
}

static void
epsimo_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EpsimoSession *self = EPSIMO_SESSION (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_BALANCE:
      g_value_set_object (value, self->balance);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_session_class_init (EpsimoSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_session_dispose;
  object_class->finalize = epsimo_session_finalize;
  object_class->get_property = epsimo_session_get_property;

  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALANCE] =
    g_param_spec_object ("balance", NULL, NULL, EPSIMO_TYPE_BALANCE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoSession::expired:
   *
   * The account's token ran out and could not be renewed: sign in again.
   */
  signals[EXPIRED] =
    g_signal_new ("expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
epsimo_session_init (EpsimoSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->projects_prefetch.free_result = (GDestroyNotify) g_ptr_array_unref;
  self->threads_prefetch.free_result = (GDestroyNotify) g_ptr_array_unref;
  self->history_prefetch.free_result = (GDestroyNotify) history_page_free;
}
