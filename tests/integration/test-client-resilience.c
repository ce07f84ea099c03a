/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-client-resilience"

#include "config.h"

#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-assistants-service.h"
#include "epsimo-auth-service.h"
#include "epsimo-projects-service.h"
#include "epsimo-test-harness.h"

static GPtrArray *
list_assistants (EpsimoClient  *client,
                 const char    *project_id,
                 GError       **error)
{
  g_autoptr(EpsimoAssistantsService) service = epsimo_assistants_service_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_assistants_service_list_async (service, project_id, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_assistants_service_list_finish (service, result, error);
}

static guint
count_since_clear (EpsimoTestFixture *fixture,
                   const char        *method,
                   const char        *path)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (fixture->server);

  return epsimo_test_count_requests (requests, method, path);
}

/* Retries */

static void
test_retry_429 (EpsimoTestFixture *fixture,
                gconstpointer      data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  epsimo_test_server_clear_requests (fixture->server);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 429, 1, NULL);

  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  g_assert_cmpuint (count_since_clear (fixture, "GET", "/projects/"), ==, 2);
}

static void
test_retry_503_twice (EpsimoTestFixture *fixture,
                      gconstpointer      data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  epsimo_test_server_clear_requests (fixture->server);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 503, 2, NULL);

  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  g_assert_cmpuint (count_since_clear (fixture, "GET", "/projects/"), ==, 3);
}

static void
test_retry_gives_up (EpsimoTestFixture *fixture,
                     gconstpointer      data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(GError) error = NULL;

  /* Out of tries: the last answer, readable, with its status. */
  g_object_set (fixture->client, "max-tries", 3, NULL);
  epsimo_test_server_clear_requests (fixture->server);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 503, 10,
                           "{\"error\": \"Service Unavailable\", "
                           "\"detail\": \"Down for maintenance\"}");
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_null (projects);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_SERVER);
  g_assert_cmpuint (epsimo_api_error_get_status (error), ==, 503);
  g_assert_nonnull (strstr (error->message, "Down for maintenance"));
  g_assert_cmpuint (count_since_clear (fixture, "GET", "/projects/"), ==, 3);
  g_clear_error (&error);

  /* Out of time: the server's Retry-After (1 s) is past the budget left, so
   * the client gives up at once instead of answering too late. */
  epsimo_test_server_reset (fixture->server);
  epsimo_test_server_clear_requests (fixture->server);
  g_object_set (fixture->client, "max-tries", 10, "max-retry-time", 0.5, NULL);
  epsimo_test_server_fail (fixture->server, "GET", "/projects/", 429, 10, NULL);
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_null (projects);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_RATE_LIMITED);
  g_assert_cmpuint (count_since_clear (fixture, "GET", "/projects/"), ==, 1);
  g_clear_error (&error);

  /* A create is not sent twice after a 503: the server may have made it. */
  epsimo_test_server_reset (fixture->server);
  epsimo_test_server_clear_requests (fixture->server);
  g_object_set (fixture->client, "max-retry-time", 20.0, NULL);
  epsimo_test_server_fail (fixture->server, "POST", "/projects/", 503, 10, NULL);
  {
    g_autoptr(EpsimoProjectsService) service = epsimo_projects_service_new (fixture->client);
    g_autoptr(EpsimoProject) draft = epsimo_project_new ("Once", NULL);
    g_autoptr(GAsyncResult) result = NULL;
    GAsyncResult *slot = NULL;

    epsimo_projects_service_create_async (service, draft, NULL, epsimo_test_async_cb, &slot);
    result = epsimo_test_await (&slot);
    project = epsimo_projects_service_create_finish (service, result, &error);
  }
  g_assert_null (project);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_SERVER);
  g_assert_cmpuint (count_since_clear (fixture, "POST", "/projects/"), ==, 1);
}

/* Token renewal */

static void
on_token_renewed (EpsimoClient *client,
                  gpointer      user_data)
{
  guint *renewed = user_data;

  (*renewed)++;
}

static void
test_renew_user_token (EpsimoTestFixture *fixture,
                       gconstpointer      data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_token = epsimo_client_dup_user_token (fixture->client);
  g_autofree char *new_token = NULL;
  guint renewed = 0;

  g_signal_connect (fixture->client, "token-renewed", G_CALLBACK (on_token_renewed), &renewed);

  /* Without a provider, a refused token is the caller's problem. */
  epsimo_test_server_expire_tokens (fixture->server);
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED);
  g_assert_null (projects);
  g_clear_error (&error);

  /* With one, the client signs in again and repeats the call once. */
  epsimo_client_set_credentials_provider (fixture->client, epsimo_test_account_provider,
                                          &fixture->account, NULL);
  epsimo_test_server_clear_requests (fixture->server);
  projects = epsimo_test_list_projects (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);
  g_assert_cmpuint (fixture->account.provided, ==, 1);
  g_assert_cmpuint (renewed, ==, 1);
  g_assert_cmpuint (count_since_clear (fixture, "POST", "/auth/login"), ==, 1);
  g_assert_cmpuint (count_since_clear (fixture, "GET", "/projects/"), ==, 2);
  new_token = epsimo_client_dup_user_token (fixture->client);
  g_assert_cmpstr (new_token, !=, old_token);

  g_signal_handlers_disconnect_by_func (fixture->client, on_token_renewed, &renewed);
}

static void
test_renew_project_token (EpsimoTestFixture *fixture,
                          gconstpointer      data)
{
  g_autofree char *project_id = epsimo_test_create_project (fixture, "Tokens");
  g_autofree char *project_path = g_strconcat ("/projects/", project_id, NULL);
  g_autoptr(GPtrArray) assistants = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *fetch;
  JsonObject *retried;

  epsimo_client_set_credentials_provider (fixture->client, epsimo_test_account_provider,
                                          &fixture->account, NULL);

  /* The project token seeded by the creation works... */
  assistants = list_assistants (fixture->client, project_id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&assistants, g_ptr_array_unref);

  /* ...until the server forgets every token: the project token is fetched
   * again, which needs a new user token first. */
  epsimo_test_server_expire_tokens (fixture->server);
  epsimo_test_server_clear_requests (fixture->server);
  assistants = list_assistants (fixture->client, project_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assistants);

  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/assistants/"), ==, 2);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", "/auth/login"), ==, 1);
  fetch = epsimo_test_find_request (requests, "GET", project_path);
  g_assert_nonnull (fetch);
  retried = epsimo_test_find_request (requests, "GET", "/assistants/");
  /* The retry carries the freshly fetched project token, not the old one. */
  g_assert_cmpstr (json_object_get_string_member (retried, "authorization"), !=,
                   json_object_get_string_member (json_array_get_object_element (requests, 0),
                                                  "authorization"));
  g_assert_cmpuint (fixture->account.provided, ==, 1);
}

/* A token that lasts less than the client's margin is renewed before it is
 * sent, without a 401 first. */
static void
test_short_token_ttl (void)
{
  g_autoptr(EpsimoClient) client = NULL;
  g_autoptr(EpsimoAuthService) auth = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoTestServer *server;
  EpsimoTestAccount account = { (char *) "ttl@example.test", (char *) "long enough password", 0 };
  GAsyncResult *slot = NULL;

  server = epsimo_test_server_start ("both", "--token-ttl", "30", NULL);
  client = epsimo_test_client_new (server);
  auth = epsimo_auth_service_new (client);

  epsimo_auth_service_sign_up_async (auth, account.email, account.password, NULL, NULL,
                                     epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_auth_service_sign_up_finish (auth, result, NULL, NULL, &error));
  g_assert_no_error (error);

  epsimo_client_set_credentials_provider (client, epsimo_test_account_provider, &account, NULL);
  epsimo_test_server_clear_requests (server);
  projects = epsimo_test_list_projects (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projects);

  requests = epsimo_test_server_get_requests (server);
  g_assert_cmpuint (json_array_get_length (requests), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 0),
                                                  "path"), ==, "/auth/login");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 1),
                                                  "path"), ==, "/projects/");
  g_assert_cmpuint (account.provided, ==, 1);

  g_clear_object (&auth);
  g_clear_object (&client);
  epsimo_test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/client-resilience/retry-429", test_retry_429);
  epsimo_test_add_both_dialects ("/client-resilience/retry-503-twice", test_retry_503_twice);
  epsimo_test_add_both_dialects ("/client-resilience/retry-gives-up", test_retry_gives_up);
  epsimo_test_add_both_dialects ("/client-resilience/renew-user-token", test_renew_user_token);
  epsimo_test_add_both_dialects ("/client-resilience/renew-project-token",
                                 test_renew_project_token);
  g_test_add_func ("/client-resilience/short-token-ttl", test_short_token_ttl);

  return g_test_run ();
}
