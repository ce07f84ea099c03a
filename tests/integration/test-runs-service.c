/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-runs-service"

#include "config.h"

#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-runs-service.h"
#include "epsimo-test-harness.h"
#include "epsimo-threads-service.h"

typedef struct
{
  GPtrArray         *events;
  GString           *text;
  gboolean           ended;         /* DONE or ERROR seen */
  EpsimoRunsService *stop_service;  /* stop on the first text delta */
  GAsyncResult      *stop_result;
  guint              events_at_stop;
} Collector;

static void
collector_init (Collector *collector)
{
  memset (collector, 0, sizeof *collector);
  collector->events = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_run_event_unref);
  collector->text = g_string_new (NULL);
}

static void
collector_clear (Collector *collector)
{
  g_clear_pointer (&collector->events, g_ptr_array_unref);
  g_string_free (collector->text, TRUE);
  g_clear_object (&collector->stop_result);
}

static void
on_event (EpsimoRunStream *stream,
          EpsimoRunEvent  *event,
          gpointer         user_data)
{
  Collector *collector = user_data;

  /* Nothing ever follows DONE or ERROR, nor a stop. */
  g_assert_false (collector->ended);
  g_assert_true (collector->events_at_stop == 0);

  g_ptr_array_add (collector->events, epsimo_run_event_ref (event));
  if (event->kind == EPSIMO_RUN_EVENT_TEXT_DELTA)
    g_string_append (collector->text, event->text);
  if (event->kind == EPSIMO_RUN_EVENT_DONE || event->kind == EPSIMO_RUN_EVENT_ERROR)
    collector->ended = TRUE;

  if (event->kind == EPSIMO_RUN_EVENT_TEXT_DELTA && collector->stop_service != NULL)
    {
      collector->events_at_stop = collector->events->len;
      epsimo_runs_service_stop_async (collector->stop_service, stream, NULL,
                                      epsimo_test_async_cb, &collector->stop_result);
      collector->stop_service = NULL;
    }
}

static EpsimoRunStream *
start_run (EpsimoRunsService  *service,
           const char         *project_id,
           const char         *thread_id,
           const char         *assistant_id,
           const char         *text,
           Collector          *collector,
           GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  EpsimoRunStream *stream;

  epsimo_runs_service_start_async (service, project_id, thread_id, assistant_id, text, NULL,
                                   epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  stream = epsimo_runs_service_start_finish (service, result, error);
  if (stream != NULL)
    g_signal_connect (stream, "event", G_CALLBACK (on_event), collector);
  return stream;
}

static guint
count_kind (Collector          *collector,
            EpsimoRunEventKind  kind)
{
  guint count = 0;

  for (guint i = 0; i < collector->events->len; i++)
    if (((EpsimoRunEvent *) g_ptr_array_index (collector->events, i))->kind == kind)
      count++;
  return count;
}

static EpsimoRunEvent *
find_kind (Collector          *collector,
           EpsimoRunEventKind  kind)
{
  for (guint i = 0; i < collector->events->len; i++)
    if (((EpsimoRunEvent *) g_ptr_array_index (collector->events, i))->kind == kind)
      return g_ptr_array_index (collector->events, i);
  return NULL;
}

static EpsimoRunEvent *
last_event (Collector *collector)
{
  g_assert_cmpuint (collector->events->len, >, 0);
  return g_ptr_array_index (collector->events, collector->events->len - 1);
}

typedef struct
{
  char *project_id;
  char *assistant_id;
  char *thread_id;
} Chat;

static void
chat_init (EpsimoTestFixture *fixture,
           Chat              *chat)
{
  chat->project_id = epsimo_test_create_project (fixture, "Chat");
  chat->assistant_id = epsimo_test_create_assistant (fixture, chat->project_id, "Echo");
  chat->thread_id = epsimo_test_create_thread (fixture, chat->project_id, chat->assistant_id,
                                               "Conversation");
}

static void
chat_clear (Chat *chat)
{
  g_free (chat->project_id);
  g_free (chat->assistant_id);
  g_free (chat->thread_id);
}

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
  Collector collector;
  EpsimoRunEvent *started;
  EpsimoMessage *reply;
  Chat chat;

  chat_init (fixture, &chat);
  collector_init (&collector);

  stream = start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
                      "Hello there", &collector, &error);
  g_assert_no_error (error);
  epsimo_test_wait_flag (&collector.ended);

  g_assert_cmpint (last_event (&collector)->kind, ==, EPSIMO_RUN_EVENT_DONE);
  g_assert_cmpuint (count_kind (&collector, EPSIMO_RUN_EVENT_DONE), ==, 1);
  g_assert_cmpuint (count_kind (&collector, EPSIMO_RUN_EVENT_ERROR), ==, 0);
  started = find_kind (&collector, EPSIMO_RUN_EVENT_STARTED);
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

  collector_clear (&collector);
  chat_clear (&chat);
}

static void
test_run_tool_call (EpsimoTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(EpsimoRunsService) service = epsimo_runs_service_new (fixture->client);
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  Collector collector;
  EpsimoRunEvent *call;
  EpsimoRunEvent *tool_result;
  Chat chat;

  chat_init (fixture, &chat);
  collector_init (&collector);

  stream = start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
                      "remember color = \"blue\"", &collector, &error);
  g_assert_no_error (error);
  epsimo_test_wait_flag (&collector.ended);

  g_assert_cmpint (last_event (&collector)->kind, ==, EPSIMO_RUN_EVENT_DONE);
  call = find_kind (&collector, EPSIMO_RUN_EVENT_TOOL_CALL);
  g_assert_nonnull (call);
  g_assert_cmpstr (call->tool_name, ==, "update_database");
  g_assert_nonnull (strstr (call->arguments, "color"));
  g_assert_cmpuint (count_kind (&collector, EPSIMO_RUN_EVENT_TOOL_CALL), ==, 1);
  tool_result = find_kind (&collector, EPSIMO_RUN_EVENT_TOOL_RESULT);
  g_assert_nonnull (tool_result);
  g_assert_cmpstr (tool_result->tool_call_id, ==, call->tool_call_id);
  g_assert_nonnull (strstr (collector.text->str, "color"));

  if (epsimo_test_fixture_is_live (fixture))
    {
      EpsimoRunEvent *state = find_kind (&collector, EPSIMO_RUN_EVENT_STATE);

      /* The virtual database change arrives as thread state. */
      g_assert_nonnull (state);
      g_assert_cmpstr (json_object_get_string_member (state->values, "color"), ==, "blue");
    }

  collector_clear (&collector);
  chat_clear (&chat);
}

static void
test_run_cut (EpsimoTestFixture *fixture,
              gconstpointer      data)
{
  g_autoptr(EpsimoRunsService) service = epsimo_runs_service_new (fixture->client);
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  Collector collector;
  EpsimoRunEvent *last;
  Chat chat;

  chat_init (fixture, &chat);
  collector_init (&collector);

  /* The connection drops after a few events, mid-reply. */
  epsimo_test_server_cut (fixture->server, 6);
  stream = start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
                      "Hello there", &collector, &error);
  g_assert_no_error (error);
  epsimo_test_wait_flag (&collector.ended);

  g_assert_nonnull (find_kind (&collector, EPSIMO_RUN_EVENT_STARTED));
  g_assert_cmpuint (count_kind (&collector, EPSIMO_RUN_EVENT_TEXT_DELTA), >, 0);
  g_assert_cmpuint (collector.text->len, >, 0);
  g_assert_cmpuint (count_kind (&collector, EPSIMO_RUN_EVENT_DONE), ==, 0);
  last = last_event (&collector);
  g_assert_cmpint (last->kind, ==, EPSIMO_RUN_EVENT_ERROR);
  g_assert_nonnull (last->error_message);
  g_assert_error (last->error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  /* What arrived is the start of the reply, not garbage. */
  g_assert_true (g_str_has_prefix ("## Echo\n\nYou said: *Hello there*", collector.text->str) ||
                 g_str_has_prefix (collector.text->str, "## Echo"));

  collector_clear (&collector);
  chat_clear (&chat);
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
  Collector collector;
  Chat chat;

  chat_init (fixture, &chat);
  collector_init (&collector);

  collector.stop_service = service;
  stream = start_run (service, chat.project_id, chat.thread_id, chat.assistant_id,
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

  collector_clear (&collector);
  chat_clear (&chat);
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
