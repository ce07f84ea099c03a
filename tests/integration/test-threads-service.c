/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-threads-service"

#include "config.h"

#include "epsimo-api-error.h"
#include "epsimo-test-harness.h"
#include "epsimo-threads-service.h"

static GPtrArray *
list_threads (EpsimoThreadsService  *service,
              const char            *project_id,
              GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_threads_service_list_async (service, project_id, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_threads_service_list_finish (service, result, error);
}

static GPtrArray *
get_messages (EpsimoThreadsService  *service,
              const char            *project_id,
              const char            *thread_id,
              guint                  limit,
              const char            *before,
              gboolean              *has_more,
              guint                 *n_older,
              GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  epsimo_threads_service_get_messages_async (service, project_id, thread_id, limit, before, NULL,
                                             epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  return epsimo_threads_service_get_messages_finish_full (service, result, has_more, n_older,
                                                          error);
}

static void
seed_messages (EpsimoTestFixture *fixture,
               const char        *thread_id,
               guint              count)
{
  g_autofree char *body = g_strdup_printf ("{\"thread_id\": \"%s\", \"count\": %u}",
                                           thread_id, count);
  g_autoptr(JsonNode) answer = epsimo_test_server_control (fixture->server, "POST",
                                                           "seed-messages", body);
}

/* The number in "Message N." of a seeded message. */
static guint
message_number (EpsimoMessage *message)
{
  const char *content = epsimo_message_get_content (message);

  g_assert_true (g_str_has_prefix (content, "Message "));
  return (guint) g_ascii_strtoull (content + 8, NULL, 10);
}

static void
test_threads_crud (EpsimoTestFixture *fixture,
                   gconstpointer      data)
{
  g_autoptr(EpsimoThreadsService) service = epsimo_threads_service_new (fixture->client);
  g_autofree char *project_id = epsimo_test_create_project (fixture, "Threads");
  g_autofree char *assistant_id = epsimo_test_create_assistant (fixture, project_id, "Helper");
  g_autoptr(EpsimoThread) draft = epsimo_thread_new ("Support #1", assistant_id);
  g_autoptr(EpsimoThread) thread = NULL;
  g_autoptr(EpsimoThread) fetched = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  JsonObject *metadata;

  epsimo_threads_service_create_async (service, project_id, draft, NULL,
                                       epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  thread = epsimo_threads_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (epsimo_thread_get_id (thread));
  g_assert_cmpstr (epsimo_thread_get_name (thread), ==, "Support #1");
  g_assert_cmpstr (epsimo_thread_get_assistant_id (thread), ==, assistant_id);
  g_clear_object (&result);

  requests = epsimo_test_server_get_requests (fixture->server);
  body = epsimo_test_request_body (epsimo_test_find_request (requests, "POST", "/threads/"));
  g_assert_nonnull (body);
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Support #1");
  g_assert_cmpstr (json_object_get_string_member (body, "assistant_id"), ==, assistant_id);
  metadata = json_object_get_object_member (body, "metadata");
  g_assert_cmpstr (json_object_get_string_member (metadata, "type"), ==, "thread");
  /* The reference body adds `configurable`; the SDK's does not. */
  g_assert_cmpint (json_object_has_member (body, "configurable"), ==,
                   !epsimo_test_fixture_is_live (fixture));

  /* Listed (a wrapped list in the live dialect, a bare one in the reference) */
  threads = list_threads (service, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (threads->len, ==, 1);
  g_assert_cmpstr (epsimo_thread_get_id (g_ptr_array_index (threads, 0)), ==,
                   epsimo_thread_get_id (thread));
  g_clear_pointer (&threads, g_ptr_array_unref);

  epsimo_threads_service_get_async (service, project_id, epsimo_thread_get_id (thread), NULL,
                                    epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  fetched = epsimo_threads_service_get_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_thread_get_name (fetched), ==, "Support #1");
  g_clear_object (&result);

  epsimo_threads_service_delete_async (service, project_id, epsimo_thread_get_id (thread), NULL,
                                       epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_threads_service_delete_finish (service, result, &error));
  g_assert_no_error (error);

  threads = list_threads (service, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (threads->len, ==, 0);
}

static void
test_messages_history (EpsimoTestFixture *fixture,
                       gconstpointer      data)
{
  g_autoptr(EpsimoThreadsService) service = epsimo_threads_service_new (fixture->client);
  g_autofree char *project_id = epsimo_test_create_project (fixture, "History");
  g_autofree char *assistant_id = epsimo_test_create_assistant (fixture, project_id, "Helper");
  g_autofree char *thread_id = epsimo_test_create_thread (fixture, project_id, assistant_id, "T");
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  gboolean has_more = TRUE;

  seed_messages (fixture, thread_id, 5);

  /* Pages from the newest, oldest first within a page, in both dialects: the live state
   * holds the whole history, and the service keeps the same page of it. */
  page = get_messages (service, project_id, thread_id, 2, NULL, &has_more, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_true (has_more);
  g_assert_cmpuint (message_number (g_ptr_array_index (page, 0)), ==, 4);
  g_assert_cmpuint (message_number (g_ptr_array_index (page, 1)), ==, 5);
  cursor = g_strdup (epsimo_message_get_id (g_ptr_array_index (page, 0)));
  g_assert_nonnull (cursor);
  g_clear_pointer (&page, g_ptr_array_unref);

  page = get_messages (service, project_id, thread_id, 2, cursor, &has_more, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_true (has_more);
  g_assert_cmpuint (message_number (g_ptr_array_index (page, 0)), ==, 2);
  g_assert_cmpuint (message_number (g_ptr_array_index (page, 1)), ==, 3);
  g_free (cursor);
  cursor = g_strdup (epsimo_message_get_id (g_ptr_array_index (page, 0)));
  g_clear_pointer (&page, g_ptr_array_unref);

  page = get_messages (service, project_id, thread_id, 2, cursor, &has_more, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_false (has_more);
  g_assert_cmpuint (message_number (g_ptr_array_index (page, 0)), ==, 1);
  g_assert_cmpint (epsimo_message_get_role (g_ptr_array_index (page, 0)), ==,
                   EPSIMO_MESSAGE_ROLE_USER);
  g_clear_pointer (&page, g_ptr_array_unref);

  if (epsimo_test_fixture_is_live (fixture))
    {
      g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (fixture->server);

      g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/threads/*/state"), ==, 3);
      g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", "/threads/*/messages"),
                        ==, 0);
    }
  else
    {
      g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (fixture->server);
      JsonObject *request = epsimo_test_find_request (requests, "GET", "/threads/*/messages");
      g_autofree char *expected = g_strconcat ("limit=2&before=", cursor, NULL);

      g_assert_nonnull (request);
      g_assert_cmpstr (json_object_get_string_member (request, "query"), ==, expected);
    }

  /* The live state has the whole history: the service tells how many messages come before
   * each page. The reference API pages it on the server: nobody knows. */
  {
    guint expected[] = { 3, 1 };
    const char *before = NULL;
    g_autofree char *oldest = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        guint n_older = 42;

        page = get_messages (service, project_id, thread_id, 2, before, NULL, &n_older, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (n_older, ==, epsimo_test_fixture_is_live (fixture) ? expected[i]
                                                                             : G_MAXUINT);
        g_free (oldest);
        oldest = g_strdup (epsimo_message_get_id (g_ptr_array_index (page, 0)));
        before = oldest;
        g_clear_pointer (&page, g_ptr_array_unref);
      }
  }
}

static void
test_add_message (EpsimoTestFixture *fixture,
                  gconstpointer      data)
{
  g_autoptr(EpsimoThreadsService) service = epsimo_threads_service_new (fixture->client);
  g_autofree char *project_id = epsimo_test_create_project (fixture, "Notes");
  g_autofree char *assistant_id = epsimo_test_create_assistant (fixture, project_id, "Helper");
  g_autofree char *thread_id = epsimo_test_create_thread (fixture, project_id, assistant_id, "T");
  g_autoptr(EpsimoMessage) draft = epsimo_message_new (EPSIMO_MESSAGE_ROLE_USER, "A manual note");
  g_autoptr(EpsimoMessage) message = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean has_more = TRUE;

  epsimo_test_server_clear_requests (fixture->server);
  epsimo_threads_service_add_message_async (service, project_id, thread_id, draft, NULL,
                                            epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  message = epsimo_threads_service_add_message_finish (service, result, &error);
  requests = epsimo_test_server_get_requests (fixture->server);

  if (epsimo_test_fixture_is_live (fixture))
    {
      /* No live equivalent: refused without touching the thread state. */
      g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND);
      g_assert_null (message);
      g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", "/threads/*"), ==, 0);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpstr (epsimo_message_get_content (message), ==, "A manual note");
  g_assert_cmpint (epsimo_message_get_role (message), ==, EPSIMO_MESSAGE_ROLE_USER);
  g_assert_nonnull (epsimo_message_get_id (message));
  g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", "/threads/*/messages"), ==, 1);

  page = get_messages (service, project_id, thread_id, 0, NULL, &has_more, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (epsimo_message_get_content (g_ptr_array_index (page, 0)), ==, "A manual note");
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/threads-service/crud", test_threads_crud);
  epsimo_test_add_both_dialects ("/threads-service/history", test_messages_history);
  epsimo_test_add_both_dialects ("/threads-service/add-message", test_add_message);

  return g_test_run ();
}
