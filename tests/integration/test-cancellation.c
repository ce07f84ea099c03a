/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cancellation"

#include "config.h"

#include <string.h>

#include "epsimo-assistants-service.h"
#include "epsimo-auth-service.h"
#include "epsimo-credits-service.h"
#include "epsimo-database-service.h"
#include "epsimo-files-service.h"
#include "epsimo-projects-service.h"
#include "epsimo-runs-service.h"
#include "epsimo-test-harness.h"
#include "epsimo-threads-service.h"

/* Every call of every service, cancelled: its callback gets
 * G_IO_ERROR_CANCELLED even though the caller dropped the service and the
 * client right after cancelling (run under ASan or valgrind to see that
 * nothing touches freed memory). */

typedef struct
{
  EpsimoTestFixture *fixture;
  char              *project_id;
  char              *assistant_id;
  char              *thread_id;
  char              *file_id;
  GFile             *file;
  EpsimoProject     *project;
  EpsimoAssistant   *assistant;
} Ctx;

typedef void     (*StartFunc)  (EpsimoClient        *client,
                                Ctx                 *ctx,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
typedef gboolean (*FinishFunc) (GObject             *source,
                                GAsyncResult        *result,
                                GError             **error);

typedef struct
{
  const char *name;
  StartFunc   start;
  FinishFunc  finish;
  /* The request to hold at the server for the in-flight variant, as
   * "METHOD PATH" with {p} {a} {t} {f} for the ids; NULL: none. */
  const char *live_request;
  const char *reference_request;
} Operation;

/* Starters: each makes its service, starts the call and drops the service
 * at once: the call must keep what it needs alive. */

#define SERVICE_START(fn_name, Type, new_func, call)                          \
  static void                                                               \
  fn_name (EpsimoClient        *client,                                     \
           Ctx                 *ctx,                                        \
           GCancellable        *cancellable,                                \
           GAsyncReadyCallback  callback,                                   \
           gpointer             user_data)                                  \
  {                                                                         \
    g_autoptr(Type) service = new_func (client);                            \
    call;                                                                   \
  }

SERVICE_START (start_sign_up, EpsimoAuthService, epsimo_auth_service_new,
               epsimo_auth_service_sign_up_async (service, "late@example.test",
                                                  "long enough password", NULL,
                                                  cancellable, callback, user_data))
SERVICE_START (start_sign_in, EpsimoAuthService, epsimo_auth_service_new,
               epsimo_auth_service_sign_in_async (service, ctx->fixture->account.email,
                                                  ctx->fixture->account.password,
                                                  cancellable, callback, user_data))
SERVICE_START (start_thread_info, EpsimoAuthService, epsimo_auth_service_new,
               epsimo_auth_service_get_thread_info_async (service, cancellable,
                                                          callback, user_data))
SERVICE_START (start_ensure_dialect, EpsimoAuthService, epsimo_auth_service_new,
               epsimo_auth_service_ensure_dialect_async (service, cancellable,
                                                         callback, user_data))
SERVICE_START (start_projects_list, EpsimoProjectsService, epsimo_projects_service_new,
               epsimo_projects_service_list_async (service, cancellable, callback, user_data))
SERVICE_START (start_projects_create, EpsimoProjectsService, epsimo_projects_service_new,
               epsimo_projects_service_create_async (service, ctx->project, cancellable,
                                                     callback, user_data))
SERVICE_START (start_projects_get, EpsimoProjectsService, epsimo_projects_service_new,
               epsimo_projects_service_get_async (service, ctx->project_id, cancellable,
                                                  callback, user_data))
SERVICE_START (start_projects_update, EpsimoProjectsService, epsimo_projects_service_new,
               epsimo_projects_service_update_async (service, ctx->project, cancellable,
                                                     callback, user_data))
SERVICE_START (start_projects_delete, EpsimoProjectsService, epsimo_projects_service_new,
               epsimo_projects_service_delete_async (service, ctx->project_id, cancellable,
                                                     callback, user_data))
SERVICE_START (start_assistants_list, EpsimoAssistantsService, epsimo_assistants_service_new,
               epsimo_assistants_service_list_async (service, ctx->project_id, cancellable,
                                                     callback, user_data))
SERVICE_START (start_assistants_get, EpsimoAssistantsService, epsimo_assistants_service_new,
               epsimo_assistants_service_get_async (service, ctx->project_id, ctx->assistant_id,
                                                    cancellable, callback, user_data))
SERVICE_START (start_assistants_create, EpsimoAssistantsService, epsimo_assistants_service_new,
               epsimo_assistants_service_create_async (service, ctx->project_id, ctx->assistant,
                                                       cancellable, callback, user_data))
SERVICE_START (start_assistants_update, EpsimoAssistantsService, epsimo_assistants_service_new,
               epsimo_assistants_service_update_async (service, ctx->project_id, ctx->assistant,
                                                       cancellable, callback, user_data))
SERVICE_START (start_assistants_delete, EpsimoAssistantsService, epsimo_assistants_service_new,
               epsimo_assistants_service_delete_async (service, ctx->project_id,
                                                       ctx->assistant_id, cancellable,
                                                       callback, user_data))
SERVICE_START (start_tools_list, EpsimoAssistantsService, epsimo_assistants_service_new,
               epsimo_assistants_service_list_tools_async (service, cancellable,
                                                           callback, user_data))
SERVICE_START (start_tool_health, EpsimoAssistantsService, epsimo_assistants_service_new,
               epsimo_assistants_service_get_tool_health_async (service, "arxiv", cancellable,
                                                                callback, user_data))
SERVICE_START (start_threads_list, EpsimoThreadsService, epsimo_threads_service_new,
               epsimo_threads_service_list_async (service, ctx->project_id, cancellable,
                                                  callback, user_data))
SERVICE_START (start_threads_get, EpsimoThreadsService, epsimo_threads_service_new,
               epsimo_threads_service_get_async (service, ctx->project_id, ctx->thread_id,
                                                 cancellable, callback, user_data))
SERVICE_START (start_threads_delete, EpsimoThreadsService, epsimo_threads_service_new,
               epsimo_threads_service_delete_async (service, ctx->project_id, ctx->thread_id,
                                                    cancellable, callback, user_data))
SERVICE_START (start_messages, EpsimoThreadsService, epsimo_threads_service_new,
               epsimo_threads_service_get_messages_async (service, ctx->project_id,
                                                          ctx->thread_id, 10, NULL,
                                                          cancellable, callback, user_data))
SERVICE_START (start_runs_start, EpsimoRunsService, epsimo_runs_service_new,
               epsimo_runs_service_start_async (service, ctx->project_id, ctx->thread_id,
                                                ctx->assistant_id, "Hello", cancellable,
                                                callback, user_data))
SERVICE_START (start_files_list, EpsimoFilesService, epsimo_files_service_new,
               epsimo_files_service_list_async (service, ctx->project_id, ctx->assistant_id,
                                                cancellable, callback, user_data))
SERVICE_START (start_files_upload, EpsimoFilesService, epsimo_files_service_new,
               epsimo_files_service_upload_async (service, ctx->project_id, ctx->assistant_id,
                                                  ctx->file, NULL, NULL, NULL, NULL,
                                                  cancellable, callback, user_data))
SERVICE_START (start_files_delete, EpsimoFilesService, epsimo_files_service_new,
               epsimo_files_service_delete_async (service, ctx->project_id, ctx->assistant_id,
                                                  ctx->file_id, cancellable, callback, user_data))
SERVICE_START (start_db_get_all, EpsimoDatabaseService, epsimo_database_service_new,
               epsimo_database_service_get_all_async (service, ctx->project_id, ctx->thread_id,
                                                      cancellable, callback, user_data))
SERVICE_START (start_db_get_key, EpsimoDatabaseService, epsimo_database_service_new,
               epsimo_database_service_get_key_async (service, ctx->project_id, ctx->thread_id,
                                                      "k", cancellable, callback, user_data))
SERVICE_START (start_balance, EpsimoCreditsService, epsimo_credits_service_new,
               epsimo_credits_service_get_balance_async (service, cancellable,
                                                         callback, user_data))
SERVICE_START (start_checkout, EpsimoCreditsService, epsimo_credits_service_new,
               epsimo_credits_service_checkout_async (service, 100, cancellable,
                                                      callback, user_data))

static void
start_threads_create (EpsimoClient        *client,
                      Ctx                 *ctx,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(EpsimoThreadsService) service = epsimo_threads_service_new (client);
  g_autoptr(EpsimoThread) thread = epsimo_thread_new ("Cancelled", ctx->assistant_id);

  epsimo_threads_service_create_async (service, ctx->project_id, thread, cancellable,
                                       callback, user_data);
}

static void
start_add_message (EpsimoClient        *client,
                   Ctx                 *ctx,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(EpsimoThreadsService) service = epsimo_threads_service_new (client);
  g_autoptr(EpsimoMessage) message = epsimo_message_new (EPSIMO_MESSAGE_ROLE_USER, "Note");

  epsimo_threads_service_add_message_async (service, ctx->project_id, ctx->thread_id, message,
                                            cancellable, callback, user_data);
}

static void
start_db_set_key (EpsimoClient        *client,
                  Ctx                 *ctx,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(EpsimoDatabaseService) service = epsimo_database_service_new (client);
  g_autoptr(JsonNode) value = json_from_string ("{\"a\": 1}", NULL);

  epsimo_database_service_set_key_async (service, ctx->project_id, ctx->thread_id, "k", value,
                                         cancellable, callback, user_data);
}

/* Finishers: whatever they return is freed; only the outcome matters. */

#define FINISH_POINTER(fn_name, Type, finish_call, free_func)                 \
  static gboolean                                                           \
  fn_name (GObject       *source,                                           \
           GAsyncResult  *result,                                           \
           GError       **error)                                            \
  {                                                                         \
    gpointer value = finish_call ((Type *) source, result, error);          \
    if (value == NULL)                                                      \
      return FALSE;                                                         \
    free_func (value);                                                      \
    return TRUE;                                                            \
  }

#define FINISH_BOOLEAN(fn_name, Type, finish_call)                            \
  static gboolean                                                           \
  fn_name (GObject       *source,                                           \
           GAsyncResult  *result,                                           \
           GError       **error)                                            \
  {                                                                         \
    return finish_call ((Type *) source, result, error);                    \
  }

static gboolean
finish_sign_up (GObject       *source,
                GAsyncResult  *result,
                GError       **error)
{
  return epsimo_auth_service_sign_up_finish (EPSIMO_AUTH_SERVICE (source), result, NULL, NULL,
                                             error);
}

static gboolean
finish_ensure_dialect (GObject       *source,
                       GAsyncResult  *result,
                       GError       **error)
{
  return epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source), result,
                                                    error) != EPSIMO_DIALECT_UNKNOWN;
}

static gboolean
finish_tool_health (GObject       *source,
                    GAsyncResult  *result,
                    GError       **error)
{
  return epsimo_assistants_service_get_tool_health_finish (EPSIMO_ASSISTANTS_SERVICE (source),
                                                           result, NULL, NULL, error);
}

static gboolean
finish_messages (GObject       *source,
                 GAsyncResult  *result,
                 GError       **error)
{
  g_autoptr(GPtrArray) page = NULL;

  page = epsimo_threads_service_get_messages_finish (EPSIMO_THREADS_SERVICE (source), result,
                                                     NULL, error);
  return page != NULL;
}

static gboolean
finish_checkout (GObject       *source,
                 GAsyncResult  *result,
                 GError       **error)
{
  g_autofree char *url = NULL;

  url = epsimo_credits_service_checkout_finish (EPSIMO_CREDITS_SERVICE (source), result, NULL,
                                                error);
  return url != NULL;
}

FINISH_BOOLEAN (finish_sign_in, EpsimoAuthService, epsimo_auth_service_sign_in_finish)
FINISH_POINTER (finish_thread_info, EpsimoAuthService,
                epsimo_auth_service_get_thread_info_finish, g_object_unref)
FINISH_POINTER (finish_projects_list, EpsimoProjectsService, epsimo_projects_service_list_finish,
                g_ptr_array_unref)
FINISH_POINTER (finish_projects_create, EpsimoProjectsService,
                epsimo_projects_service_create_finish, g_object_unref)
FINISH_POINTER (finish_projects_get, EpsimoProjectsService, epsimo_projects_service_get_finish,
                g_object_unref)
FINISH_BOOLEAN (finish_projects_update, EpsimoProjectsService,
                epsimo_projects_service_update_finish)
FINISH_BOOLEAN (finish_projects_delete, EpsimoProjectsService,
                epsimo_projects_service_delete_finish)
FINISH_POINTER (finish_assistants_list, EpsimoAssistantsService,
                epsimo_assistants_service_list_finish, g_ptr_array_unref)
FINISH_POINTER (finish_assistants_get, EpsimoAssistantsService,
                epsimo_assistants_service_get_finish, g_object_unref)
FINISH_POINTER (finish_assistants_create, EpsimoAssistantsService,
                epsimo_assistants_service_create_finish, g_object_unref)
FINISH_BOOLEAN (finish_assistants_update, EpsimoAssistantsService,
                epsimo_assistants_service_update_finish)
FINISH_BOOLEAN (finish_assistants_delete, EpsimoAssistantsService,
                epsimo_assistants_service_delete_finish)
FINISH_POINTER (finish_tools_list, EpsimoAssistantsService,
                epsimo_assistants_service_list_tools_finish, g_ptr_array_unref)
FINISH_POINTER (finish_threads_list, EpsimoThreadsService, epsimo_threads_service_list_finish,
                g_ptr_array_unref)
FINISH_POINTER (finish_threads_create, EpsimoThreadsService,
                epsimo_threads_service_create_finish, g_object_unref)
FINISH_POINTER (finish_threads_get, EpsimoThreadsService, epsimo_threads_service_get_finish,
                g_object_unref)
FINISH_BOOLEAN (finish_threads_delete, EpsimoThreadsService,
                epsimo_threads_service_delete_finish)
FINISH_POINTER (finish_add_message, EpsimoThreadsService,
                epsimo_threads_service_add_message_finish, g_object_unref)
FINISH_POINTER (finish_runs_start, EpsimoRunsService, epsimo_runs_service_start_finish,
                g_object_unref)
FINISH_POINTER (finish_files_list, EpsimoFilesService, epsimo_files_service_list_finish,
                g_ptr_array_unref)
FINISH_POINTER (finish_files_upload, EpsimoFilesService, epsimo_files_service_upload_finish,
                g_object_unref)
FINISH_BOOLEAN (finish_files_delete, EpsimoFilesService, epsimo_files_service_delete_finish)
FINISH_POINTER (finish_db_get_all, EpsimoDatabaseService,
                epsimo_database_service_get_all_finish, json_object_unref)
FINISH_POINTER (finish_db_get_key, EpsimoDatabaseService,
                epsimo_database_service_get_key_finish, json_node_unref)
FINISH_BOOLEAN (finish_db_set_key, EpsimoDatabaseService, epsimo_database_service_set_key_finish)
FINISH_POINTER (finish_balance, EpsimoCreditsService, epsimo_credits_service_get_balance_finish,
                g_object_unref)

static const Operation operations[] = {
  { "sign-up", start_sign_up, finish_sign_up, "POST /auth/signup", "POST /auth/signup" },
  { "sign-in", start_sign_in, finish_sign_in, "POST /auth/login", "POST /auth/login" },
  { "thread-info", start_thread_info, finish_thread_info,
    "GET /auth/thread-info", "GET /auth/thread-info" },
  { "ensure-dialect", start_ensure_dialect, finish_ensure_dialect, NULL, NULL },
  { "projects-list", start_projects_list, finish_projects_list,
    "GET /projects/", "GET /projects/" },
  { "projects-create", start_projects_create, finish_projects_create,
    "POST /projects/", "POST /projects/" },
  { "projects-get", start_projects_get, finish_projects_get,
    "GET /projects/{p}", "GET /projects/{p}" },
  { "projects-update", start_projects_update, finish_projects_update,
    "PUT /projects/{p}", "PUT /projects/{p}" },
  { "projects-delete", start_projects_delete, finish_projects_delete,
    "DELETE /projects/{p}", "DELETE /projects/{p}" },
  { "assistants-list", start_assistants_list, finish_assistants_list,
    "GET /assistants/", "GET /assistants/" },
  { "assistants-get", start_assistants_get, finish_assistants_get,
    "GET /assistants/{a}", "GET /assistants/{a}" },
  { "assistants-create", start_assistants_create, finish_assistants_create,
    "POST /assistants/", "POST /assistants/" },
  { "assistants-update", start_assistants_update, finish_assistants_update,
    "PUT /assistants/{a}", "PUT /assistants/{a}" },
  { "assistants-delete", start_assistants_delete, finish_assistants_delete,
    "DELETE /assistants/{a}", "DELETE /assistants/{a}" },
  { "tools-list", start_tools_list, finish_tools_list, "GET /tools/", NULL },
  { "tool-health", start_tool_health, finish_tool_health, "GET /health/tool/arxiv", NULL },
  { "threads-list", start_threads_list, finish_threads_list, "GET /threads/", "GET /threads/" },
  { "threads-create", start_threads_create, finish_threads_create,
    "POST /threads/", "POST /threads/" },
  { "threads-get", start_threads_get, finish_threads_get,
    "GET /threads/{t}", "GET /threads/{t}" },
  { "threads-delete", start_threads_delete, finish_threads_delete,
    "DELETE /threads/{t}", "DELETE /threads/{t}" },
  { "messages", start_messages, finish_messages,
    "GET /threads/{t}/state", "GET /threads/{t}/messages" },
  { "add-message", start_add_message, finish_add_message, NULL, "POST /threads/{t}/messages" },
  { "runs-start", start_runs_start, finish_runs_start,
    "POST /runs/stream", "POST /threads/{t}/run" },
  { "files-list", start_files_list, finish_files_list,
    "GET /assistants/{a}/files", "GET /files/" },
  { "files-upload", start_files_upload, finish_files_upload,
    "POST /assistants/{a}/files", "POST /files/" },
  { "files-delete", start_files_delete, finish_files_delete,
    "DELETE /assistants/{a}/files/{f}", "DELETE /files/{f}" },
  { "db-get-all", start_db_get_all, finish_db_get_all,
    "GET /threads/{t}/state", "GET /db/{p}/{t}" },
  { "db-get-key", start_db_get_key, finish_db_get_key,
    "GET /threads/{t}/state", "GET /db/{p}/{t}/k" },
  { "db-set-key", start_db_set_key, finish_db_set_key,
    "POST /threads/{t}/state", "PUT /db/{p}/{t}/k" },
  { "balance", start_balance, finish_balance, "GET /auth/thread-info", "GET /credits/balance" },
  { "checkout", start_checkout, finish_checkout,
    "POST /checkout/create-checkout-session", "POST /credits/checkout" },
};

typedef struct
{
  const Operation *operation;
  gboolean         done;
  GError          *error;
  gboolean         succeeded;
} Outcome;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *outcome = user_data;

  /* The service is alive here however early the caller let go of it. */
  g_assert_true (G_IS_OBJECT (source));
  outcome->succeeded = outcome->operation->finish (source, result, &outcome->error);
  outcome->done = TRUE;
}

static char *
expand (const char *pattern,
        Ctx        *ctx)
{
  g_autoptr(GString) text = g_string_new (pattern);

  g_string_replace (text, "{p}", ctx->project_id, 0);
  g_string_replace (text, "{a}", ctx->assistant_id, 0);
  g_string_replace (text, "{t}", ctx->thread_id, 0);
  g_string_replace (text, "{f}", ctx->file_id, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static EpsimoClient *
new_client (Ctx *ctx)
{
  EpsimoClient *client = epsimo_test_client_new (ctx->fixture->server);
  g_autofree char *token = epsimo_client_dup_user_token (ctx->fixture->client);

  epsimo_client_set_user_token (client, token);
  return client;
}

typedef struct
{
  EpsimoTestServer *server;
  const char       *method;
  const char       *path;
  gboolean          tick;
} RequestWait;

static gboolean
on_tick (gpointer user_data)
{
  RequestWait *wait = user_data;

  wait->tick = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
request_arrived (gpointer data)
{
  RequestWait *wait = data;
  g_autoptr(JsonArray) requests = NULL;

  /* The held request makes no event here: look again on a tick. */
  if (!wait->tick)
    return FALSE;
  wait->tick = FALSE;
  g_timeout_add (10, on_tick, wait);

  requests = epsimo_test_server_get_requests (wait->server);
  return epsimo_test_count_requests (requests, wait->method, wait->path) > 0;
}

static void
run_operation (Ctx             *ctx,
               const Operation *operation,
               gboolean         in_flight)
{
  EpsimoTestServer *server = ctx->fixture->server;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *request = NULL;
  g_auto(GStrv) parts = NULL;
  Outcome outcome = { operation, FALSE, NULL, FALSE };
  EpsimoClient *client;
  const char *pattern;

  pattern = epsimo_test_fixture_is_live (ctx->fixture) ? operation->live_request
                                                       : operation->reference_request;
  if (in_flight && pattern == NULL)
    return;

  g_test_message ("Cancelling %s %s", operation->name, in_flight ? "in flight" : "at once");
  epsimo_test_server_reset (server);
  epsimo_test_server_clear_requests (server);

  if (in_flight)
    {
      request = expand (pattern, ctx);
      parts = g_strsplit (request, " ", 2);
      epsimo_test_server_stall (server, parts[0], parts[1], 1);
    }

  client = new_client (ctx);
  operation->start (client, ctx, cancellable, on_done, &outcome);

  if (in_flight)
    {
      RequestWait wait = { server, parts[0], parts[1], TRUE };

      epsimo_test_wait_for (request_arrived, &wait);
      /* The wait's tick may still be pending: let it fire harmlessly. */
      while (!wait.tick)
        g_main_context_iteration (NULL, TRUE);
    }

  /* Cancel, and let go of everything at once, as a closing window does. */
  g_cancellable_cancel (cancellable);
  g_object_unref (client);

  epsimo_test_wait_flag (&outcome.done);
  g_assert_false (outcome.succeeded);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&outcome.error);

  /* Release the held request; the client is gone and must not mind. */
  epsimo_test_server_reset (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
ctx_init (Ctx               *ctx,
          EpsimoTestFixture *fixture)
{
  g_autoptr(EpsimoFilesService) files = epsimo_files_service_new (fixture->client);
  g_autoptr(EpsimoAssistantsService) assistants = epsimo_assistants_service_new (fixture->client);
  g_autoptr(EpsimoProjectsService) projects = epsimo_projects_service_new (fixture->client);
  g_autoptr(EpsimoFile) uploaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GAsyncResult *slot = NULL;

  memset (ctx, 0, sizeof *ctx);
  ctx->fixture = fixture;
  ctx->project_id = epsimo_test_create_project (fixture, "Cancel");
  ctx->assistant_id = epsimo_test_create_assistant (fixture, ctx->project_id, "Helper");
  ctx->thread_id = epsimo_test_create_thread (fixture, ctx->project_id, ctx->assistant_id, "T");

  dir = g_dir_make_tmp ("epsimo-cancel-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "doc.txt", NULL);
  g_file_set_contents (path, "some text\n", -1, &error);
  g_assert_no_error (error);
  ctx->file = g_file_new_for_path (path);

  epsimo_files_service_upload_async (files, ctx->project_id, ctx->assistant_id, ctx->file, NULL,
                                     NULL, NULL, NULL, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  uploaded = epsimo_files_service_upload_finish (files, result, &error);
  g_assert_no_error (error);
  ctx->file_id = g_strdup (epsimo_file_get_id (uploaded));
  g_clear_object (&result);

  epsimo_projects_service_get_async (projects, ctx->project_id, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  ctx->project = epsimo_projects_service_get_finish (projects, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  epsimo_assistants_service_get_async (assistants, ctx->project_id, ctx->assistant_id, NULL,
                                       epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  ctx->assistant = epsimo_assistants_service_get_finish (assistants, result, &error);
  g_assert_no_error (error);
}

static void
ctx_clear (Ctx *ctx)
{
  g_autoptr(GFile) parent = g_file_get_parent (ctx->file);

  g_file_delete (ctx->file, NULL, NULL);
  g_file_delete (parent, NULL, NULL);
  g_clear_object (&ctx->file);
  g_clear_object (&ctx->project);
  g_clear_object (&ctx->assistant);
  g_free (ctx->project_id);
  g_free (ctx->assistant_id);
  g_free (ctx->thread_id);
  g_free (ctx->file_id);
}

static void
test_cancel_at_once (EpsimoTestFixture *fixture,
                     gconstpointer      data)
{
  Ctx ctx;

  ctx_init (&ctx, fixture);
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    run_operation (&ctx, &operations[i], FALSE);
  ctx_clear (&ctx);
}

static void
test_cancel_in_flight (EpsimoTestFixture *fixture,
                       gconstpointer      data)
{
  Ctx ctx;

  ctx_init (&ctx, fixture);
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    run_operation (&ctx, &operations[i], TRUE);
  ctx_clear (&ctx);
}

/* A run that is streaming: cancelling the start's cancellable stops the
 * reply too, and dropping everything leaves no event to a dead handler. */
static void
on_event_count (EpsimoRunStream *stream,
                EpsimoRunEvent  *event,
                gpointer         user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_cancel_streaming_run (EpsimoTestFixture *fixture,
                           gconstpointer      data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoRunsService *service;
  EpsimoClient *client;
  GAsyncResult *slot = NULL;
  guint events = 0;
  guint seen;
  Ctx ctx;

  ctx_init (&ctx, fixture);
  client = new_client (&ctx);
  service = epsimo_runs_service_new (client);

  epsimo_runs_service_start_async (service, ctx.project_id, ctx.thread_id, ctx.assistant_id,
                                   "Hello", cancellable, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  stream = epsimo_runs_service_start_finish (service, result, &error);
  g_assert_no_error (error);
  g_signal_connect (stream, "event", G_CALLBACK (on_event_count), &events);

  while (events == 0)
    g_main_context_iteration (NULL, TRUE);

  g_cancellable_cancel (cancellable);
  g_object_unref (service);
  g_object_unref (client);
  seen = events;

  /* Whatever is still on its way is dropped: the server finishing the
   * reply proves the connection is gone or drained. */
  epsimo_test_server_reset (fixture->server);
  for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_assert_cmpuint (events, ==, seen);

  g_clear_object (&stream);
  ctx_clear (&ctx);
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/cancellation/at-once", test_cancel_at_once);
  epsimo_test_add_both_dialects ("/cancellation/in-flight", test_cancel_in_flight);
  epsimo_test_add_both_dialects ("/cancellation/streaming-run", test_cancel_streaming_run);

  return g_test_run ();
}
