/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-runs-service"

#include "config.h"

#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-runs-service.h"
#include "epsimo-test-harness.h"
#include "epsimo-test-run.h"
#include "epsimo-threads-service.h"

static void
test_run_complete (EpsimoTestFixture *fixture,
                   gconstpointer      data)
{
  g_autoptr(EpsimoRunsService) service = epsimo_runs_service_new (fixture->client);
  g_autoptr(EpsimoThreadsService) threads = epsimo_threads_service_new (fixture->client);
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  EpsimoTestCollector collector;
  EpsimoRunEvent *started;
  EpsimoMessage *reply;
  EpsimoTestChat chat;

  epsimo_test_chat_init (fixture, &chat, "Chat");
  epsimo_test_collector_init (&collector);

  stream = epsimo_test_start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
                                  "Hello there", &collector, &error);
  g_assert_no_error (error);
  epsimo_test_wait_flag (&collector.ended);

  g_assert_cmpint (epsimo_test_collector_last (&collector)->kind, ==, EPSIMO_RUN_EVENT_DONE);
  g_assert_cmpuint (epsimo_test_collector_count (&collector, EPSIMO_RUN_EVENT_DONE), ==, 1);
  g_assert_cmpuint (epsimo_test_collector_count (&collector, EPSIMO_RUN_EVENT_ERROR), ==, 0);
  started = epsimo_test_collector_find (&collector, EPSIMO_RUN_EVENT_STARTED);
  g_assert_nonnull (started);
  g_assert_cmpstr (epsimo_runs_service_get_run_id (service, stream), ==, started->run_id);
  g_assert_nonnull (strstr (collector.text->str, "You said: *Hello there*"));

  /* What streamed is exactly what the server stored as the reply. */
  epsimo_threads_service_get_messages_async (threads, chat.project_id, chat.thread_id, 0, NULL,
                                             NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  history = epsimo_threads_service_get_messages_finish (threads, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (epsimo_message_get_content (g_ptr_array_index (history, 0)), ==,
                   "Hello there");
  reply = g_ptr_array_index (history, 1);
  g_assert_cmpint (epsimo_message_get_role (reply), ==, EPSIMO_MESSAGE_ROLE_ASSISTANT);
  g_assert_cmpstr (epsimo_message_get_content (reply), ==, collector.text->str);

  requests = epsimo_test_server_get_requests (fixture->server);
  if (epsimo_test_fixture_is_live (fixture))
    {
      JsonArray *input;
      JsonObject *item;
      JsonArray *modes;

      body = epsimo_test_request_body (epsimo_test_find_request (requests, "POST",
                                                                 "/runs/stream"));
      g_assert_nonnull (body);
      g_assert_cmpstr (json_object_get_string_member (body, "thread_id"), ==, chat.thread_id);
      g_assert_cmpstr (json_object_get_string_member (body, "assistant_id"), ==,
                       chat.assistant_id);
      input = json_object_get_array_member (body, "input");
      g_assert_cmpuint (json_array_get_length (input), ==, 1);
      item = json_array_get_object_element (input, 0);
      g_assert_cmpstr (json_object_get_string_member (item, "role"), ==, "user");
      g_assert_cmpstr (json_object_get_string_member (item, "type"), ==, "human");
      g_assert_cmpstr (json_object_get_string_member (item, "content"), ==, "Hello there");
      modes = json_object_get_array_member (body, "stream_mode");
      g_assert_cmpuint (json_array_get_length (modes), ==, 2);
      g_assert_cmpstr (json_array_get_string_element (modes, 0), ==, "messages");
      g_assert_cmpstr (json_array_get_string_element (modes, 1), ==, "values");
    }
  else
    {
      g_autofree char *path = g_strdup_printf ("/threads/%s/run", chat.thread_id);

      body = epsimo_test_request_body (epsimo_test_find_request (requests, "POST", path));
      g_assert_nonnull (body);
      g_assert_cmpstr (json_object_get_string_member (body, "message"), ==, "Hello there");
      g_assert_true (json_object_get_boolean_member (body, "stream"));
    }

  /* A second run after the history was read: the server keeps the rendered
   * history and extends it: what it sends next has both exchanges. */
  epsimo_test_collector_clear (&collector);
  epsimo_test_collector_init (&collector);
  g_clear_object (&stream);
  stream = epsimo_test_start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
                                  "And again", &collector, &error);
  g_assert_no_error (error);
  epsimo_test_wait_flag (&collector.ended);
  g_clear_pointer (&history, g_ptr_array_unref);
  g_clear_object (&result);
  epsimo_threads_service_get_messages_async (threads, chat.project_id, chat.thread_id, 0, NULL,
                                             NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  history = epsimo_threads_service_get_messages_finish (threads, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  g_assert_cmpstr (epsimo_message_get_content (g_ptr_array_index (history, 0)), ==,
                   "Hello there");
  g_assert_cmpstr (epsimo_message_get_content (g_ptr_array_index (history, 2)), ==,
                   "And again");
  g_assert_cmpstr (epsimo_message_get_content (g_ptr_array_index (history, 3)), ==,
                   collector.text->str);

  epsimo_test_collector_clear (&collector);
  epsimo_test_chat_clear (&chat);
}

static void
test_run_tool_call (EpsimoTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(EpsimoRunsService) service = epsimo_runs_service_new (fixture->client);
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoTestCollector collector;
  EpsimoRunEvent *call;
  EpsimoRunEvent *tool_result;
  EpsimoTestChat chat;

  epsimo_test_chat_init (fixture, &chat, "Chat");
  epsimo_test_collector_init (&collector);

  stream = epsimo_test_start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
                                  "remember color = \"blue\"", &collector, &error);
  g_assert_no_error (error);
  epsimo_test_wait_flag (&collector.ended);

  g_assert_cmpint (epsimo_test_collector_last (&collector)->kind, ==, EPSIMO_RUN_EVENT_DONE);
  call = epsimo_test_collector_find (&collector, EPSIMO_RUN_EVENT_TOOL_CALL);
  g_assert_nonnull (call);
  g_assert_cmpstr (call->tool_name, ==, "update_database");
  g_assert_nonnull (strstr (call->arguments, "color"));
  g_assert_cmpuint (epsimo_test_collector_count (&collector, EPSIMO_RUN_EVENT_TOOL_CALL), ==, 1);
  tool_result = epsimo_test_collector_find (&collector, EPSIMO_RUN_EVENT_TOOL_RESULT);
  g_assert_nonnull (tool_result);
  g_assert_cmpstr (tool_result->tool_call_id, ==, call->tool_call_id);
  g_assert_nonnull (strstr (collector.text->str, "color"));

  if (epsimo_test_fixture_is_live (fixture))
    {
      EpsimoRunEvent *state = epsimo_test_collector_find (&collector, EPSIMO_RUN_EVENT_STATE);

      /* The virtual database change arrives as thread state. */
      g_assert_nonnull (state);
      g_assert_cmpstr (json_object_get_string_member (state->values, "color"), ==, "blue");
    }

  epsimo_test_collector_clear (&collector);
  epsimo_test_chat_clear (&chat);
}

static void
test_run_cut (EpsimoTestFixture *fixture,
              gconstpointer      data)
{
  g_autoptr(EpsimoRunsService) service = epsimo_runs_service_new (fixture->client);
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoTestCollector collector;
  EpsimoRunEvent *last;
  EpsimoTestChat chat;

  epsimo_test_chat_init (fixture, &chat, "Chat");
  epsimo_test_collector_init (&collector);

  /* The connection drops after a few events, mid-reply. */
  epsimo_test_server_cut (fixture->server, 6);
  stream = epsimo_test_start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
                                  "Hello there", &collector, &error);
  g_assert_no_error (error);
  epsimo_test_wait_flag (&collector.ended);

  g_assert_nonnull (epsimo_test_collector_find (&collector, EPSIMO_RUN_EVENT_STARTED));
  g_assert_cmpuint (epsimo_test_collector_count (&collector, EPSIMO_RUN_EVENT_TEXT_DELTA), >, 0);
  g_assert_cmpuint (collector.text->len, >, 0);
  g_assert_cmpuint (epsimo_test_collector_count (&collector, EPSIMO_RUN_EVENT_DONE), ==, 0);
  last = epsimo_test_collector_last (&collector);
  g_assert_cmpint (last->kind, ==, EPSIMO_RUN_EVENT_ERROR);
  g_assert_nonnull (last->error_message);
  g_assert_error (last->error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  /* What arrived is the start of the reply, not garbage. */
  g_assert_true (g_str_has_prefix ("## Echo\n\nYou said: *Hello there*", collector.text->str) ||
                 g_str_has_prefix (collector.text->str, "## Echo"));

  epsimo_test_collector_clear (&collector);
  epsimo_test_chat_clear (&chat);
}

static void
test_run_stop (EpsimoTestFixture *fixture,
               gconstpointer      data)
{
  g_autoptr(EpsimoRunsService) service = epsimo_runs_service_new (fixture->client);
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cancel_path = NULL;
  EpsimoTestCollector collector;
  EpsimoTestChat chat;

  epsimo_test_chat_init (fixture, &chat, "Chat");
  epsimo_test_collector_init (&collector);

  collector.stop_service = service;
  stream = epsimo_test_start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
                                  "Hello there", &collector, &error);
  g_assert_no_error (error);

  /* Stopped on the first text delta; the server is asked to cancel. */
  result = epsimo_test_await (&collector.stop_result);
  g_assert_true (epsimo_runs_service_stop_finish (service, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collector.events_at_stop, >, 0);
  g_assert_cmpuint (collector.events->len, ==, collector.events_at_stop);
  g_assert_false (collector.ended);

  if (epsimo_test_fixture_is_live (fixture))
    cancel_path = g_strdup_printf ("/runs/%s/cancel",
                                   epsimo_runs_service_get_run_id (service, stream));
  else
    cancel_path = g_strdup_printf ("/threads/%s/runs/%s/cancel", chat.thread_id,
                                   epsimo_runs_service_get_run_id (service, stream));
  requests = epsimo_test_server_get_requests (fixture->server);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", cancel_path), ==, 1);

  epsimo_test_collector_clear (&collector);
  epsimo_test_chat_clear (&chat);
}

int
main (int   argc,
      char *argv[])
{
  epsimo_test_init (&argc, &argv);

  epsimo_test_add_both_dialects ("/runs-service/complete", test_run_complete);
  epsimo_test_add_both_dialects ("/runs-service/tool-call", test_run_tool_call);
  epsimo_test_add_both_dialects ("/runs-service/cut", test_run_cut);
  epsimo_test_add_both_dialects ("/runs-service/stop", test_run_stop);

  return g_test_run ();
}
