/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-harness"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>

#include <libsoup/soup.h>

#include "epsimo-assistants-service.h"
#include "epsimo-auth-service.h"
#include "epsimo-client-private.h"
#include "epsimo-projects-service.h"
#include "epsimo-test-harness.h"
#include "epsimo-threads-service.h"

/* Generous: only a hung test ever reaches it, never a slow one. */
#define SAFETY_LIMIT_S 90

struct _EpsimoTestServer
{
  GSubprocess      *process;
  GDataInputStream *output;
  SoupSession      *session;
  char             *url;
};

/* In the child: a test that crashes must not leave its server running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

void
epsimo_test_init (int    *argc,
                  char ***argv)
{
  const char *binary;

  g_test_init (argc, argv, NULL);

  binary = g_getenv ("EPSIMO_TEST_SERVER");
  if (binary == NULL || *binary == '\0')
    {
      g_printerr ("EPSIMO_TEST_SERVER is not set: skipping (it names the test server binary)\n");
      exit (77);
    }
}

EpsimoTestServer *
epsimo_test_server_start (const char *dialect,
                          ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  EpsimoTestServer *server;
  const char *binary = g_getenv ("EPSIMO_TEST_SERVER");
  const char *arg;
  va_list ap;

  g_assert_nonnull (binary);

  g_ptr_array_add (args, (gpointer) binary);
  g_ptr_array_add (args, (gpointer) "--port");
  g_ptr_array_add (args, (gpointer) "0");
  g_ptr_array_add (args, (gpointer) "--dialect");
  g_ptr_array_add (args, (gpointer) dialect);
  va_start (ap, dialect);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  server = g_new0 (EpsimoTestServer, 1);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher,
                                                  (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  /* The server prints its URL as its first line once it listens. The pipe
   * stays open (not read further) so later output never hits a closed end. */
  server->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (server->output, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "http://127.0.0.1:"))
    g_error ("The test server %s did not start (first line: %s)", binary,
             line != NULL ? line : "none");

  server->url = g_steal_pointer (&line);
  server->session = soup_session_new ();
  g_test_message ("Test server (%s) at %s", dialect, server->url);

  return server;
}

static gboolean
on_stop_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_process_exited (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

void
epsimo_test_server_stop (EpsimoTestServer *server)
{
  gboolean exited = FALSE;
  gboolean timed_out = FALSE;
  guint timeout_id;

  if (server == NULL)
    return;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait_async (server->process, NULL, on_process_exited, &exited);
  timeout_id = g_timeout_add_seconds (10, on_stop_timeout, &timed_out);
  while (!exited && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

  if (!exited)
    {
      g_test_message ("The test server did not stop on SIGTERM: killing it");
      g_subprocess_force_exit (server->process);
      while (!exited)
        g_main_context_iteration (NULL, TRUE);
    }

  g_clear_object (&server->output);
  g_clear_object (&server->process);
  g_clear_object (&server->session);
  g_free (server->url);
  g_free (server);
}

const char *
epsimo_test_server_get_url (EpsimoTestServer *server)
{
  return server->url;
}

JsonNode *
epsimo_test_server_control (EpsimoTestServer *server,
                            const char       *method,
                            const char       *name,
                            const char       *body)
{
  g_autofree char *url = g_strconcat (server->url, "/_control/", name, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;
  gsize len = 0;
  const char *data;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  /* Synchronous, on a session of its own: the control API answers at once. */
  answer = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);

  data = g_bytes_get_data (answer, &len);
  text = g_strndup (data, len);
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    g_error ("%s /_control/%s answered %u: %s", method, name, soup_message_get_status (msg), text);

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
control_quietly (EpsimoTestServer *server,
                 const char       *method,
                 const char       *name,
                 const char       *body)
{
  g_autoptr(JsonNode) node = epsimo_test_server_control (server, method, name, body);
}

static char *
fault_body (const char *method,
            const char *path,
            guint       count)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (method != NULL)
    {
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, method);
    }
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

char *
epsimo_test_server_seed_first_id (EpsimoTestServer *server,
                                  const char       *name,
                                  const char       *body,
                                  const char       *member)
{
  g_autoptr(JsonNode) seeded = epsimo_test_server_control (server, "POST", name, body);

  return g_strdup (json_array_get_string_element (
    json_object_get_array_member (json_node_get_object (seeded), member), 0));
}

void
epsimo_test_server_fail (EpsimoTestServer *server,
                         const char       *method,
                         const char       *path,
                         guint             status,
                         guint             count,
                         const char       *body)
{
  g_autofree char *base = fault_body (method, path, count);
  g_autoptr(JsonNode) node = json_from_string (base, NULL);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *text = NULL;

  json_object_set_int_member (object, "status", status);
  if (body != NULL)
    json_object_set_string_member (object, "body", body);
  text = json_to_string (node, FALSE);
  control_quietly (server, "POST", "fail", text);
}

void
epsimo_test_server_stall (EpsimoTestServer *server,
                          const char       *method,
                          const char       *path,
                          guint             count)
{
  g_autofree char *text = fault_body (method, path, count);

  control_quietly (server, "POST", "stall", text);
}

void
epsimo_test_server_cut (EpsimoTestServer *server,
                        guint             after_events)
{
  g_autofree char *text = g_strdup_printf ("{\"after_events\": %u}", after_events);

  control_quietly (server, "POST", "cut", text);
}

void
epsimo_test_server_reset (EpsimoTestServer *server)
{
  control_quietly (server, "POST", "reset", NULL);
}

void
epsimo_test_server_expire_tokens (EpsimoTestServer *server)
{
  control_quietly (server, "POST", "expire-tokens", NULL);
}

void
epsimo_test_server_clear_requests (EpsimoTestServer *server)
{
  control_quietly (server, "DELETE", "requests", NULL);
}

JsonArray *
epsimo_test_server_get_requests (EpsimoTestServer *server)
{
  g_autoptr(JsonNode) node = epsimo_test_server_control (server, "GET", "requests", NULL);
  JsonArray *requests;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  requests = json_object_get_array_member (json_node_get_object (node), "requests");
  g_assert_nonnull (requests);
  return json_array_ref (requests);
}

JsonObject *
epsimo_test_server_get_state (EpsimoTestServer *server)
{
  g_autoptr(JsonNode) node = epsimo_test_server_control (server, "GET", "state", NULL);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static gboolean
request_matches (JsonObject *request,
                 const char *method,
                 const char *path)
{
  const char *r_method = json_object_get_string_member (request, "method");
  const char *r_path = json_object_get_string_member (request, "path");

  if (method != NULL && g_strcmp0 (r_method, method) != 0)
    return FALSE;
  return g_pattern_match_simple (path, r_path);
}

guint
epsimo_test_count_requests (JsonArray  *requests,
                            const char *method,
                            const char *path)
{
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    if (request_matches (json_array_get_object_element (requests, i), method, path))
      count++;

  return count;
}

guint
epsimo_test_first_request_index (JsonArray  *requests,
                                 const char *method,
                                 const char *path)
{
  for (guint i = 0; i < json_array_get_length (requests); i++)
    if (request_matches (json_array_get_object_element (requests, i), method, path))
      return i;

  return G_MAXUINT;
}

JsonObject *
epsimo_test_find_request (JsonArray  *requests,
                          const char *method,
                          const char *path)
{
  for (guint i = json_array_get_length (requests); i > 0; i--)
    {
      JsonObject *request = json_array_get_object_element (requests, i - 1);

      if (request_matches (request, method, path))
        return request;
    }

  return NULL;
}

JsonObject *
epsimo_test_request_body (JsonObject *request)
{
  g_autoptr(JsonNode) node = NULL;
  const char *body;

  if (request == NULL || json_object_get_null_member (request, "body"))
    return NULL;

  body = json_object_get_string_member (request, "body");
  node = json_from_string (body, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

/* Waiting */

void
epsimo_test_async_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
on_safety_limit (gpointer user_data)
{
  gboolean *reached = user_data;

  *reached = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
slot_is_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

void
epsimo_test_wait_for (gboolean (*condition) (gpointer data),
                      gpointer   data)
{
  gboolean reached = FALSE;
  guint id = g_timeout_add_seconds (SAFETY_LIMIT_S, on_safety_limit, &reached);

  while (!condition (data) && !reached)
    g_main_context_iteration (NULL, TRUE);

  if (reached)
    g_error ("Waited %d s for something that never happened", SAFETY_LIMIT_S);
  g_source_remove (id);
}

GAsyncResult *
epsimo_test_await (GAsyncResult **slot)
{
  epsimo_test_wait_for (slot_is_set, slot);
  return g_steal_pointer (slot);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

void
epsimo_test_wait_flag (gboolean *flag)
{
  epsimo_test_wait_for (flag_is_set, flag);
}

/* Clients and accounts */

GPtrArray *
epsimo_test_list_projects (EpsimoClient  *client,
                           GError       **error)
{
  g_autoptr(EpsimoProjectsService) service = epsimo_projects_service_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_projects_service_list_async (service, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_projects_service_list_finish (service, result, error);
}

EpsimoClient *
epsimo_test_client_new (EpsimoTestServer *server)
{
  g_autoptr(GError) error = NULL;
  EpsimoClient *client;

  /* Every server has a new port, but forget anyway: each test learns the
   * dialect itself. */
  epsimo_client_forget_learned_dialects ();

  client = epsimo_client_new (server->url, &error);
  g_assert_no_error (error);
  g_object_set (client,
                "retry-base-delay", 0.001,
                "retry-max-delay", 0.005,
                "max-retry-time", 20.0,
                "max-tries", 4,
                NULL);
  return client;
}

void
epsimo_test_account_provider (EpsimoClient *client,
                              GCancellable *cancellable,
                              GTask        *task,
                              gpointer      user_data)
{
  EpsimoTestAccount *account = user_data;

  account->provided++;
  epsimo_credentials_task_return (task, account->email, account->password);
  /* The provider owns the task it was given. */
  g_object_unref (task);
}

void
epsimo_test_fixture_setup (EpsimoTestFixture *fixture,
                           gconstpointer      dialect)
{
  g_autoptr(EpsimoAuthService) auth = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean needs_verification = TRUE;

  fixture->dialect = dialect;
  fixture->server = epsimo_test_server_start (dialect, NULL);
  fixture->client = epsimo_test_client_new (fixture->server);
  fixture->account.email = g_strdup ("tester@example.test");
  fixture->account.password = g_strdup ("correct horse battery");
  fixture->account.provided = 0;

  auth = epsimo_auth_service_new (fixture->client);
  epsimo_auth_service_sign_up_async (auth, fixture->account.email, fixture->account.password,
                                     "Tester", NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_auth_service_sign_up_finish (auth, result, &needs_verification,
                                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_false (needs_verification);
  g_assert_true (epsimo_client_get_signed_in (fixture->client));
}

void
epsimo_test_fixture_teardown (EpsimoTestFixture *fixture,
                              gconstpointer      dialect)
{
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->server, epsimo_test_server_stop);
  g_clear_pointer (&fixture->account.email, g_free);
  g_clear_pointer (&fixture->account.password, g_free);

  /* Let finished operations release what they hold before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
epsimo_test_add_both_dialects (const char  *path,
                               void       (*func) (EpsimoTestFixture *, gconstpointer))
{
  static const char * const dialects[] = { "live", "reference" };

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autofree char *full = g_strconcat (path, "/", dialects[i], NULL);

      g_test_add (full, EpsimoTestFixture, dialects[i],
                  epsimo_test_fixture_setup, func, epsimo_test_fixture_teardown);
    }
}

gboolean
epsimo_test_fixture_is_live (EpsimoTestFixture *fixture)
{
  return g_strcmp0 (fixture->dialect, "reference") != 0;
}

char *
epsimo_test_create_project (EpsimoTestFixture *fixture,
                            const char        *name)
{
  g_autoptr(EpsimoProjectsService) service = epsimo_projects_service_new (fixture->client);
  g_autoptr(EpsimoProject) draft = epsimo_project_new (name, "Made by a test");
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  epsimo_projects_service_create_async (service, draft, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  project = epsimo_projects_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);

  return g_strdup (epsimo_project_get_id (project));
}

char *
epsimo_test_create_assistant (EpsimoTestFixture *fixture,
                              const char        *project_id,
                              const char        *name)
{
  g_autoptr(EpsimoAssistantsService) service = epsimo_assistants_service_new (fixture->client);
  g_autoptr(EpsimoAssistant) draft = epsimo_assistant_new (name);
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  epsimo_assistant_set_instructions (draft, "You help with tests.");
  epsimo_assistants_service_create_async (service, project_id, draft, NULL,
                                          epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  assistant = epsimo_assistants_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assistant);

  return g_strdup (epsimo_assistant_get_id (assistant));
}

char *
epsimo_test_create_thread (EpsimoTestFixture *fixture,
                           const char        *project_id,
                           const char        *assistant_id,
                           const char        *name)
{
  g_autoptr(EpsimoThreadsService) service = epsimo_threads_service_new (fixture->client);
  g_autoptr(EpsimoThread) draft = epsimo_thread_new (name, assistant_id);
  g_autoptr(EpsimoThread) thread = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  epsimo_threads_service_create_async (service, project_id, draft, NULL,
                                       epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  thread = epsimo_threads_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (thread);

  return g_strdup (epsimo_thread_get_id (thread));
}
